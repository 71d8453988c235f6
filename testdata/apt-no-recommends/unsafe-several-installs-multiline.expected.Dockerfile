FROM debian:bookworm
RUN apt-get update \
    && apt-get install --no-install-recommends -y curl \
    && sudo apt install --no-install-recommends -y \
        git \
    && rm -rf /var/lib/apt/lists/*
