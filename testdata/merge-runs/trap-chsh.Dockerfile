FROM debian:bookworm
RUN apt-get update
RUN chsh -s /bin/bash root
RUN echo ok
