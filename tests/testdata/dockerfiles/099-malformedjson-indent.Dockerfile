  FROM busybox:1.33

# between instructions
  CMD ['sh', '-c', 'echo hi']

# between instructions
  ENTRYPOINT ["/bin/sh", "-c",]

# between instructions
  RUN ["echo", "exec form"]

# between instructions
  VOLUME ["/data", "/logs"]

# between instructions
