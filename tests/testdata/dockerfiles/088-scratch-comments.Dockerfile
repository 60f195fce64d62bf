FROM golang:1.21 AS build

# between instructions
RUN CGO_ENABLED=0 go build -o /hello ./...

# between instructions
FROM scratch

# between instructions
COPY --from=build /hello /hello

# between instructions
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/

# between instructions
USER 65532:65532

# between instructions
ENTRYPOINT ["/hello"]

# between instructions
