FROM alpine:3.20
RUN set -eux; \
	apk add --no-cache --virtual .build-deps \
		coreutils gcc linux-headers make musl-dev openssl-dev \
	; \
	wget -O redis.tar.gz "$REDIS_DOWNLOAD_URL"; \
	echo "$REDIS_DOWNLOAD_SHA *redis.tar.gz" | sha256sum -c -; \
	make -C /usr/src/redis -j "$(nproc)" all; \
	apk del --no-network .build-deps
RUN mkdir /data && chown redis:redis /data
VOLUME /data
WORKDIR /data
EXPOSE 6379
CMD ["redis-server"]
