FROM debian:bookworm AS base
USER nobody
FROM base
RUN apt-get update && apt-get install -y curl
