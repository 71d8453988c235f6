FROM debian:bookworm
RUN (MODE=release :) \
    && echo "mode=$MODE"
