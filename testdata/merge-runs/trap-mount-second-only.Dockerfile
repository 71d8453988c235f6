FROM debian:bookworm
RUN apt-get update
RUN --mount=type=cache,target=/var/cache/apt apt-get install -y curl
