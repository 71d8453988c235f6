FROM debian:bookworm AS build
RUN make
FROM debian:bookworm
RUN make install
