FROM debian:bookworm
USER 1000
USER root:root
RUN apt-get update && apt-get install -y curl
