# syntax=docker/dockerfile:1
# What the heredoc installs cannot be read: imagemagick would stay behind.
FROM debian:bookworm
RUN <<EOT
apt-get update
apt-get install -y --no-install-recommends gcc libc6-dev imagemagick
EOT
WORKDIR /src
COPY hello.c .
RUN gcc -O2 -o /usr/local/bin/hello hello.c
CMD ["hello"]
