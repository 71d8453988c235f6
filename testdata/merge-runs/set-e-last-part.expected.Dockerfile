FROM debian:bookworm
RUN apt-get update \
    && { set -eux; apt-get install -y curl; rm -rf /var/lib/apt/lists/*; }
