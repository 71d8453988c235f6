FROM debian:bookworm
RUN apt-get update \
    && { curl -fsSL https://deb.nodesource.com/setup_20.x | bash -; }
