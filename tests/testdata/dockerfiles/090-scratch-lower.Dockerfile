from golang:1.19 AS build
run CGO_ENABLED=0 go build -o /hello ./...
from scratch
copy --from=build /hello /hello
copy --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
user 65532:65532
entrypoint ["/hello"]
