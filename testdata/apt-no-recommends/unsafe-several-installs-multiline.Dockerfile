FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y curl \
    && sudo apt install -y \
        git \
    && rm -rf /var/lib/apt/lists/*
