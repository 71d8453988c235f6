# DS201 splits a cgo Go build (cgo is on by default: a glibc binary) onto
# debian slim; in the next pass DS103 moves that runtime to distroless cc.
FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/hello ./cmd/hello
ENV GIN_MODE=release
USER 1000

FROM gcr.io/distroless/cc-debian13 AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
WORKDIR /src
ENV GIN_MODE=release
USER 1000
ENTRYPOINT ["hello"]
CMD ["--port", "8080"]
