# `-ldflags` is a go build flag, not a library to link.
FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
RUN go build -ldflags="-s -w" -o /src/app .
CMD ["/src/app"]
