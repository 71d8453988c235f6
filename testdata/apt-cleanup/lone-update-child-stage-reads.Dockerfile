FROM debian:bookworm-slim AS base
RUN apt-get update

FROM base
RUN apt-get install -y curl
