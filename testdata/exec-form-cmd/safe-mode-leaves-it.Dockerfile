FROM debian:bookworm-slim
CMD ./app --port 80
