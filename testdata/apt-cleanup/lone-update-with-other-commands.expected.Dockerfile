FROM debian:bookworm-slim
RUN apt-get update && echo updated && rm -rf /var/lib/apt/lists/*
USER nobody
