  FROM rust:1.78 AS builder

# between instructions
  WORKDIR /usr/src/app

# between instructions
  COPY . .

# between instructions
  RUN cargo install --locked --path .

# between instructions
  FROM gcr.io/distroless/cc-debian12

# between instructions
  COPY --from=builder /usr/local/cargo/bin/app /usr/local/bin/app

# between instructions
  CMD ["app"]

# between instructions
