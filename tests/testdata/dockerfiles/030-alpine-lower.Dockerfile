from alpine:3.20
run apk add --no-cache \
        ca-certificates=20240226-r0 \
        curl=8.9.1-r1 \
        tzdata
run addgroup -S app && adduser -S -G app app
copy --chmod=0755 entrypoint.sh /usr/local/bin/
user app
entrypoint ["entrypoint.sh"]
