# `-C dir`: the output is relative to it; `-extldflags -static` links
# statically even with cgo on.
FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -C cmd/server -ldflags '-s -w -extldflags "-static"' -o ../../bin/server
USER 65532:65532

FROM scratch AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /src/bin/server /src/bin/server
WORKDIR /src
USER 65532:65532
CMD ["/src/bin/server"]
