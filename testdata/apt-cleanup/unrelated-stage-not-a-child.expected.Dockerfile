FROM debian:bookworm AS base
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*

FROM debian:bookworm
RUN apt-get install -y git
