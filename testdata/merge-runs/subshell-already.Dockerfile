FROM debian:bookworm
RUN (cd /app && make)
RUN make -C /app install
