# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN --network=host apt-get update && apt-get install -y curl
