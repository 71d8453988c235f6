FROM debian:bookworm
RUN a \
    && b
