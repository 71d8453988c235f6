FROM debian:bookworm-slim
ENTRYPOINT ["/usr/local/bin/server", "--config=/etc/server.conf"]
