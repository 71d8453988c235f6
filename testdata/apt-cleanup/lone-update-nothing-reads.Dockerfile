FROM debian:bookworm-slim
RUN apt-get update
COPY app /app
CMD ["/app"]
