FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/hello ./cmd/hello
CMD hello --port "${PORT:-8080}"
