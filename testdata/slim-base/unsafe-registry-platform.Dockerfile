FROM --platform=$BUILDPLATFORM docker.io/library/debian:bookworm
COPY app /app
CMD ["/app"]
