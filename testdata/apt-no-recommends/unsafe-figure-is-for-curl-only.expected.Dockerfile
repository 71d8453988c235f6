FROM debian:bookworm
RUN apt-get update && apt-get install --no-install-recommends -y python3 python3-pip && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install --no-install-recommends -y curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*
