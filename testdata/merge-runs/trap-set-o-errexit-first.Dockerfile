FROM debian:bookworm
RUN set -o errexit; make; make test
RUN make install
