FROM debian:bookworm
SHELL ["/bin/bash", "-eo", "pipefail", "-c"]
RUN make; make test
RUN make install
