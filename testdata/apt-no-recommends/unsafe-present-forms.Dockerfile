FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get -o APT::Install-Recommends=false install -y curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y -oAPT::Install-Recommends=0 curl && rm -rf /var/lib/apt/lists/*
