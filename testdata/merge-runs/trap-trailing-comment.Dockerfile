FROM debian:bookworm
RUN apt-get update # refresh the index
RUN apt-get install -y curl
