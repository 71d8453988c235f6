# Go 1.9 (GOPATH mode): `go get` builds and installs into /go/bin, on the
# image's PATH; the program is started by name.
FROM golang:1.9
RUN go get github.com/acme/greeter
EXPOSE 8080
CMD ["greeter"]
