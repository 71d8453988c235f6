FROM debian:bookworm
RUN apt-get update
ARG HTTP_PROXY
RUN apt-get install -y curl
