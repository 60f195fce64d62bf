FROM --platform=$BUILDPLATFORM golang:1.21.13-alpine AS build

# between instructions
ARG TARGETOS TARGETARCH

# between instructions
WORKDIR /src

# between instructions
COPY go.mod go.sum ./

# between instructions
RUN --mount=type=cache,target=/go/pkg/mod go mod download

# between instructions
COPY . .

# between instructions
RUN --mount=type=cache,target=/go/pkg/mod \
    # a comment inside the continuation
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/app ./cmd/app

# between instructions
FROM gcr.io/distroless/static-debian12:nonroot

# between instructions
COPY --from=build /out/app /app

# between instructions
USER nonroot:nonroot

# between instructions
ENTRYPOINT ["/app"]

# between instructions
