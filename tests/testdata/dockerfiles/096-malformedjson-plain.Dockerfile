FROM busybox:1.36
CMD ['sh', '-c', 'echo hi']
ENTRYPOINT ["/bin/sh", "-c",]
RUN ["echo", "exec form"]
VOLUME ["/data", "/logs"]
