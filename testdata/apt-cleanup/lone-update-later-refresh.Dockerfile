FROM debian:bookworm-slim
RUN apt-get -qq update
COPY sources.list /etc/apt/sources.list
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
