FROM debian:bookworm
RUN make \
    && { echo a; }
