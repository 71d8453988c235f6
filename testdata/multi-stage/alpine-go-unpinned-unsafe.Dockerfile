FROM golang:1.9-alpine
WORKDIR /go/src/app
COPY . .
RUN go install
CMD ["app"]
