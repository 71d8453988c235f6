FROM debian:bookworm
RUN apt-get update
RUN dpkg-divert --local --rename --add /bin/sh
RUN echo ok
