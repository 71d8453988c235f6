# syntax=docker/dockerfile:1
# The target folder is a cache mount: the binary is not in the image's
# layers, so the runtime cannot copy it (the original CMD fails too).
FROM rust:1.80
WORKDIR /app
COPY . .
RUN --mount=type=cache,target=/app/target cargo build --release
CMD ["./target/release/server"]
