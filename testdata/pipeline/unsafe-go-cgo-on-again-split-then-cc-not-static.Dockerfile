# The build command turns cgo back on: a glibc binary, not one for scratch.
FROM golang:1.22-bookworm
ENV CGO_ENABLED=0
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go vet ./... && CGO_ENABLED=1 go build -o /src/app .
CMD ["/src/app"]
