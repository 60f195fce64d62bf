FROM debian:bullseye
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends \
        bzip2 \
        unzip \
        xz-utils \
		ca-certificates \
        curl \
        gnupg \
    && rm -rf /var/lib/apt/lists/*
ENV LANG C.UTF-8
CMD ["bash"]
