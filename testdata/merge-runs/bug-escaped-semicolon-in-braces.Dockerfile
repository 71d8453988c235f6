FROM debian:bookworm
RUN make
RUN make install; find /usr -name "*.la" -exec rm {} \;
