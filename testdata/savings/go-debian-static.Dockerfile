# A Go server built with Debian's golang-go (static: CGO_ENABLED=0).
FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y --no-install-recommends golang-go ca-certificates
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -o /usr/local/bin/hello .
EXPOSE 8080
CMD ["hello"]
