FROM debian:bookworm
# hadolint ignore=DL3009
RUN apt-get update
RUN apt-get install -y curl
