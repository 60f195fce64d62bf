  FROM debian:11.11

# between instructions
  ARG DEBIAN_FRONTEND=noninteractive

# between instructions
  RUN apt-get update && apt-get install -y --no-install-recommends \
        bzip2 \
        unzip \
        xz-utils \
		ca-certificates \
        curl \
        gnupg \
    && rm -rf /var/lib/apt/lists/*

# between instructions
  ENV LANG C.UTF-8

# between instructions
  CMD ["bash"]

# between instructions
