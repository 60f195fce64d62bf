from busybox:1.32
cmd ['sh', '-c', 'echo hi']
entrypoint ["/bin/sh", "-c",]
run ["echo", "exec form"]
volume ["/data", "/logs"]
