FROM debian:bookworm
RUN make
RUN rm x || true
