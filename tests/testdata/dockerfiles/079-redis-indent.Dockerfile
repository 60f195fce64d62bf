  FROM alpine:3.17

# between instructions
  RUN set -eux; \
	apk add --no-cache --virtual .build-deps \
		coreutils gcc linux-headers make musl-dev openssl-dev \
	; \
	wget -O redis.tar.gz "$REDIS_DOWNLOAD_URL"; \
	echo "$REDIS_DOWNLOAD_SHA *redis.tar.gz" | sha256sum -c -; \
	make -C /usr/src/redis -j "$(nproc)" all; \
	apk del --no-network .build-deps

# between instructions
  RUN mkdir /data && chown redis:redis /data

# between instructions
  VOLUME /data

# between instructions
  WORKDIR /data

# between instructions
  EXPOSE 6379

# between instructions
  CMD ["redis-server"]

# between instructions
