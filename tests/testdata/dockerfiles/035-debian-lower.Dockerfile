from debian:trixie
arg DEBIAN_FRONTEND=noninteractive
run apt-get update && apt-get install -y --no-install-recommends \
        bzip2 \
        unzip \
        xz-utils \
		ca-certificates \
        curl \
        gnupg \
    && rm -rf /var/lib/apt/lists/*
env LANG C.UTF-8
cmd ["bash"]
