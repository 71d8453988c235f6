# syntax=docker/dockerfile:1
FROM debian:bookworm AS build

# Install tools.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
    curl \
    && rm -rf /var/lib/apt/lists/*
COPY ["a", "b"]
CMD ["/app"]
