FROM debian:bookworm
RUN apt-get update
RUN <<EOF
apt-get install -y curl
EOF
RUN rm -rf /var/lib/apt/lists/*
