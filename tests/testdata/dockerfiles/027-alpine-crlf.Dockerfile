FROM alpine:3.19.4
RUN apk add --no-cache \
        ca-certificates=20240226-r0 \
        curl=8.9.1-r1 \
        tzdata
RUN addgroup -S app && adduser -S -G app app
COPY --chmod=0755 entrypoint.sh /usr/local/bin/
USER app
ENTRYPOINT ["entrypoint.sh"]
