FROM rust:1.80 AS builder
WORKDIR /usr/src/app
COPY . .
RUN cargo install --locked --path .
FROM gcr.io/distroless/cc-debian12
COPY --from=builder /usr/local/cargo/bin/app /usr/local/bin/app
CMD ["app"]
