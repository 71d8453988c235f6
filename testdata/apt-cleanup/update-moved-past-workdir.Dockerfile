FROM debian:bookworm
RUN apt-get update -qq
WORKDIR /app
LABEL a=b
RUN apt-get install -y \
      curl
