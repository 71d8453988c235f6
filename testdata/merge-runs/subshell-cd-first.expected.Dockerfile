FROM debian:bookworm
RUN (cd /app && make) \
    && ls
