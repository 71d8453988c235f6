# No WORKDIR: the golang image's own is /go; `go install` writes
# /go/bin/<module name> (go.mod in the context).
FROM golang:1.22-bookworm AS build
COPY . .
RUN CGO_ENABLED=0 go install .

FROM scratch AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /go/bin/hello /go/bin/hello
WORKDIR /go
ENTRYPOINT ["/go/bin/hello"]
