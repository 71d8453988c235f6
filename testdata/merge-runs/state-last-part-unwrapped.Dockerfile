FROM debian:bookworm
RUN apt-get update
RUN cd /app && make install
