FROM golang:1.22 AS build
RUN go build -o /app .
FROM debian:bookworm-slim
COPY --from=build /app /app
VOLUME /data
CMD ["/app"]
