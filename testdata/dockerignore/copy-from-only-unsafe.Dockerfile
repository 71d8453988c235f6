FROM debian:bookworm
COPY --from=busybox:latest /bin/busybox /bin/busybox
