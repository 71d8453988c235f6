FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
RUN go build -o /src/app .
HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1
CMD ["/src/app"]
