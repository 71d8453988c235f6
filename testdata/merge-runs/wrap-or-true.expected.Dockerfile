FROM debian:bookworm
RUN make \
    && { rm x || true; }
