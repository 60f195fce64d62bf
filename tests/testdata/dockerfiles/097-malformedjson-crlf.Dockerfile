FROM busybox:1.35
CMD ['sh', '-c', 'echo hi']
ENTRYPOINT ["/bin/sh", "-c",]
RUN ["echo", "exec form"]
VOLUME ["/data", "/logs"]
