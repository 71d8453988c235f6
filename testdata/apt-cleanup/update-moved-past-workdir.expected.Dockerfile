FROM debian:bookworm
WORKDIR /app
LABEL a=b
RUN apt-get update -qq && apt-get install -y \
      curl \
    && rm -rf /var/lib/apt/lists/*
