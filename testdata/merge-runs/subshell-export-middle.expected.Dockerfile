FROM debian:bookworm
RUN make \
    && (export PATH=/opt/bin:$PATH && build) \
    && ls /opt/bin
