# The golang:onbuild shape: download, then install every main package.
FROM golang:1.22-bookworm

WORKDIR /go/src/app
COPY . .

RUN go get -d -v ./...
RUN CGO_ENABLED=0 go install -v ./...

CMD ["app"]
