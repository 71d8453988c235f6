FROM debian:bookworm
run apt-get update
RUN apt-get install -y curl
