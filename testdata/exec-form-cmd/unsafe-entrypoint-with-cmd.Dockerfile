FROM debian:bookworm-slim
ENTRYPOINT ./app
CMD --help
