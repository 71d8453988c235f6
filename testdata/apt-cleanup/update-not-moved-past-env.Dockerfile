FROM debian:bookworm
RUN apt-get update
ENV http_proxy=http://proxy:3128
RUN apt-get install -y curl
