FROM golang:1.22 AS compile
ENV CGO_ENABLED=0 GOOS=linux
WORKDIR /go/src/app
COPY . .
RUN go build -ldflags="-s -w" -o app .
LABEL org.opencontainers.image.source=https://example.com/app
USER 65532:65532

FROM scratch AS runtime
COPY --from=compile /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=compile /go/src/app/app /go/src/app/app
ENV CGO_ENABLED=0 GOOS=linux
WORKDIR /go/src/app
LABEL org.opencontainers.image.source=https://example.com/app
USER 65532:65532
CMD ["./app"]
