FROM debian:bookworm
RUN (cd /src && ./configure) && \
# build and install
        { make || make -j1; } && \
        { make install; }
