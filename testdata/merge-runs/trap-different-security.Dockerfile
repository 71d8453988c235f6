FROM debian:bookworm
RUN --security=insecure make
RUN make test
