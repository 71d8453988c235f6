# A download-use-delete pattern: a 40 MB archive is fetched (here: made),
# used, and deleted in a later RUN, so it stays in the image's layers.
FROM debian:bookworm-slim
RUN head -c 40000000 /dev/urandom > /tmp/archive.bin
RUN sha256sum /tmp/archive.bin > /archive.sha256
RUN rm /tmp/archive.bin
