FROM debian:bookworm
RUN false \
    && { echo a; echo b; }
