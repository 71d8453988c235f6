FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gcc make libssl-dev git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /work
CMD ["bash"]
