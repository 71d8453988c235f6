FROM golang:1.20-alpine
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app .
ENTRYPOINT ["/app"]
