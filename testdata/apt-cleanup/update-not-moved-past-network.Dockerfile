# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN apt-get update
RUN --network=none make
RUN apt-get install -y curl
