# No WORKDIR: the golang image's own is /go; `go install` writes
# /go/bin/<module name> (go.mod in the context).
FROM golang:1.22-bookworm
COPY . .
RUN CGO_ENABLED=0 go install .
ENTRYPOINT ["/go/bin/hello"]
