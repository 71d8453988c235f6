FROM debian:bookworm
RUN apt-get update \
    && cd /app && make install
