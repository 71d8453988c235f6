FROM debian:bookworm
RUN (: "${PREFIX:=/opt/app}") \
    && echo "prefix=$PREFIX"
