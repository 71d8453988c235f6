FROM debian:bookworm
RUN cd /src \
    && ./configure \
    && make
RUN make install
