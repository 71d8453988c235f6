# syntax=docker/dockerfile:1
# A relative mount target is relative to WORKDIR: /app/target is a cache.
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends cargo
WORKDIR /app
COPY . .
RUN --mount=type=cache,target=target cargo build --release
CMD ["./target/release/server"]
