FROM golang:1.22 AS build
RUN go build -o /app .
FROM debian:bookworm-slim
COPY --from=build /app /app
EXPOSE 80 8080/tcp
CMD ["/app"]
