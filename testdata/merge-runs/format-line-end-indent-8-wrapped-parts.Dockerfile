FROM debian:bookworm
RUN cd /src && ./configure
# build and install
RUN make || make -j1
RUN make install;
