# Go 1.9 (GOPATH mode): `go get` builds and installs into /go/bin, on the
# image's PATH; the program is started by name.
FROM golang:1.9 AS build
RUN go get github.com/acme/greeter

FROM debian:stable-slim AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /go/bin/greeter /usr/local/bin/greeter
WORKDIR /go
EXPOSE 8080
CMD ["greeter"]
