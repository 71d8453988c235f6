FROM debian:bookworm
RUN apt-get update
USER root
RUN apt-get install -y curl
