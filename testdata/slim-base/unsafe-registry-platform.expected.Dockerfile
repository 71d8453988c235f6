FROM --platform=$BUILDPLATFORM docker.io/library/debian:bookworm-slim
COPY app /app
CMD ["/app"]
