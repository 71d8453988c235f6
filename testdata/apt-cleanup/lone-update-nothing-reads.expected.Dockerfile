FROM debian:bookworm-slim
COPY app /app
CMD ["/app"]
