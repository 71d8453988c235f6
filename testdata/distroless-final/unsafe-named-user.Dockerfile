FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /app .
FROM debian:bookworm-slim
COPY --from=build /app /app
USER appuser
CMD ["/app"]
