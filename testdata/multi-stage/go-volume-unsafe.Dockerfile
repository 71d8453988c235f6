FROM golang:1.22
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o /app/server .
VOLUME /app/data
VOLUME ["/app/cache", "/app/logs"]
CMD ["/app/server"]
