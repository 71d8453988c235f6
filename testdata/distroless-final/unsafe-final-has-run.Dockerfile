FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /app .
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
CMD ["/app"]
