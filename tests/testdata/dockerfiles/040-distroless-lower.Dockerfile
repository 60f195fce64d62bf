from rust:1.77 AS builder
workdir /usr/src/app
copy . .
run cargo install --locked --path .
from gcr.io/distroless/cc-debian12
copy --from=builder /usr/local/cargo/bin/app /usr/local/bin/app
cmd ["app"]
