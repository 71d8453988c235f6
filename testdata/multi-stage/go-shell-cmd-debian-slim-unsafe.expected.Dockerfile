FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/hello ./cmd/hello

FROM debian:bookworm-slim AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
WORKDIR /src
CMD hello --port "${PORT:-8080}"
