FROM debian:bookworm
RUN apt-get update
RUN ln -sf /bin/bash /bin/sh
RUN echo ok
