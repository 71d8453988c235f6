FROM debian:bookworm
RUN MODE=release :
RUN echo "mode=$MODE"
