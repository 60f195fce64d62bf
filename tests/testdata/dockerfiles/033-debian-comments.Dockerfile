FROM debian:12.7

# between instructions
ARG DEBIAN_FRONTEND=noninteractive

# between instructions
RUN apt-get update && apt-get install -y --no-install-recommends \
    # a comment inside the continuation
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
