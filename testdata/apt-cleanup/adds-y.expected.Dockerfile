FROM debian:bookworm
RUN apt-get update && apt-get install -y curl && apt-get install -y --no-install-recommends wget && rm -rf /var/lib/apt/lists/*
