  FROM alpine:3.17.10

# between instructions
  RUN apk add --no-cache \
        ca-certificates=20240226-r0 \
        curl=8.9.1-r1 \
        tzdata

# between instructions
  RUN addgroup -S app && adduser -S -G app app

# between instructions
  COPY --chmod=0755 entrypoint.sh /usr/local/bin/

# between instructions
  USER app

# between instructions
  ENTRYPOINT ["entrypoint.sh"]

# between instructions
