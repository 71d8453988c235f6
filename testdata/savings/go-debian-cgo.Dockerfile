# The same server with cgo on (gcc installed): a glibc binary.
FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y --no-install-recommends golang-go gcc libc6-dev
WORKDIR /src
COPY go.mod main.go ./
RUN go build -o /usr/local/bin/hello .
EXPOSE 8080
CMD ["hello"]
