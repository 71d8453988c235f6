FROM golang:1.22
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/go/pkg/mod go mod download \
    && go mod verify \
    && CGO_ENABLED=0 go build -o /app . \
    && rm -rf /tmp/x
CMD ["/app"]
