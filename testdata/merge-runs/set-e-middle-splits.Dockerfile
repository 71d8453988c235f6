FROM debian:bookworm
RUN apt-get update
RUN set -e; apt-get install -y curl; curl --version
RUN rm -rf /var/lib/apt/lists/*
