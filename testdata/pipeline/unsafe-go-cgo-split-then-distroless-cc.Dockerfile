# DS201 splits a cgo Go build (cgo is on by default: a glibc binary) onto
# debian slim; in the next pass DS103 moves that runtime to distroless cc.
FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/hello ./cmd/hello
ENV GIN_MODE=release
USER 1000
ENTRYPOINT ["hello"]
CMD ["--port", "8080"]
