FROM debian:bookworm
RUN apt-get update && apt-get install curl && rm -rf /var/lib/apt/lists/*
