from --platform=$BUILDPLATFORM golang:1.23-alpine AS build
arg TARGETOS TARGETARCH
workdir /src
copy go.mod go.sum ./
run --mount=type=cache,target=/go/pkg/mod go mod download
copy . .
run --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/app ./cmd/app
from gcr.io/distroless/static-debian12:nonroot
copy --from=build /out/app /app
user nonroot:nonroot
entrypoint ["/app"]
