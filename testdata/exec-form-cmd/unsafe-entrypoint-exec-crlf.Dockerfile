FROM debian:bookworm-slim
ENTRYPOINT exec /usr/local/bin/server --config=/etc/server.conf
