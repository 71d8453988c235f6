FROM debian:bookworm
RUN (make; cd /out) \
    && ls
