FROM debian:bookworm
USER app
RUN apt-get update && apt-get install -y curl
