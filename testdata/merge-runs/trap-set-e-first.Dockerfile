FROM debian:bookworm
RUN set -e; make; make test
RUN make install
