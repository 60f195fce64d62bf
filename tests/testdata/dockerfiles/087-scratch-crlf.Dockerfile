FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /hello ./...
FROM scratch
COPY --from=build /hello /hello
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
USER 65532:65532
ENTRYPOINT ["/hello"]
