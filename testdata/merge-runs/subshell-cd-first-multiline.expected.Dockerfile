FROM debian:bookworm
RUN (cd /src \
    && ./configure \
    && make) \
    && make install
