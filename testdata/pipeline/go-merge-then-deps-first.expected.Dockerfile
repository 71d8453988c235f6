FROM golang:1.18
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download \
    && go mod verify
COPY . .
RUN go build -o /app .
CMD ["/app"]
