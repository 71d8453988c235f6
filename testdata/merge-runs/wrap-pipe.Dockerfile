FROM debian:bookworm
RUN apt-get update
RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
