FROM golang:latest
RUN go get github.com/acme/greeter
ENTRYPOINT ["/go/bin/greeter"]
