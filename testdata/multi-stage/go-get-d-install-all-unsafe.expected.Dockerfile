# The golang:onbuild shape: download, then install every main package.
FROM golang:1.22-bookworm AS build

WORKDIR /go/src/app
COPY . .

RUN go get -d -v ./...
RUN CGO_ENABLED=0 go install -v ./...

FROM scratch AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /go/bin/app /usr/local/bin/app
WORKDIR /go/src/app
CMD ["app"]
