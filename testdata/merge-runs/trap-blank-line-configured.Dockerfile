FROM debian:bookworm
RUN apt-get update

RUN apt-get install -y curl
# cleanup

RUN rm -rf /var/lib/apt/lists/*
