FROM debian:bookworm
RUN apt-get update
# curl is needed by the healthcheck
RUN apt-get install -y curl
