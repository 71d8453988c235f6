FROM golang:1.22 AS compile
ENV CGO_ENABLED=0 GOOS=linux
WORKDIR /go/src/app
COPY . .
RUN go build -ldflags="-s -w" -o app .
LABEL org.opencontainers.image.source=https://example.com/app
USER 65532:65532
CMD ["./app"]