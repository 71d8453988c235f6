FROM debian:bookworm
RUN --network=none make
RUN make test
