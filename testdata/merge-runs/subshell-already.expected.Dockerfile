FROM debian:bookworm
RUN (cd /app && make) \
    && make -C /app install
