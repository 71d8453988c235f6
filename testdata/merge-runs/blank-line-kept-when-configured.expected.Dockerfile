FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y curl

RUN useradd --create-home app \
    && mkdir /app
