FROM debian:bookworm
RUN make \
    && { make install; find /usr -name "*.la" -exec rm {} \;; }
