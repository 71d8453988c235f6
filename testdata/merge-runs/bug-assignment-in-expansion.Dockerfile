FROM debian:bookworm
RUN : "${PREFIX:=/opt/app}"
RUN echo "prefix=$PREFIX"
