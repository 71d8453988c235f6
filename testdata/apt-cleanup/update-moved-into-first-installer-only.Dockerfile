FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y gnupg
RUN apt-get install -y curl
