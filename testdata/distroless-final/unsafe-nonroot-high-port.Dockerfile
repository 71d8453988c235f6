FROM golang:1.22 AS build
RUN go build -o /app .
FROM debian:bookworm-slim
COPY --from=build /app /app
EXPOSE 8080
ENTRYPOINT ["/app"]
CMD ["--port", "8080"]
