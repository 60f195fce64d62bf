from alpine:3.16
run set -eux; \
	apk add --no-cache --virtual .build-deps \
		coreutils gcc linux-headers make musl-dev openssl-dev \
	; \
	wget -O redis.tar.gz "$REDIS_DOWNLOAD_URL"; \
	echo "$REDIS_DOWNLOAD_SHA *redis.tar.gz" | sha256sum -c -; \
	make -C /usr/src/redis -j "$(nproc)" all; \
	apk del --no-network .build-deps
run mkdir /data && chown redis:redis /data
volume /data
workdir /data
expose 6379
cmd ["redis-server"]
