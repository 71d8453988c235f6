FROM golang:1.18
WORKDIR /src
COPY . .
RUN go mod download
RUN go mod verify
RUN go build -o /app .
CMD ["/app"]
