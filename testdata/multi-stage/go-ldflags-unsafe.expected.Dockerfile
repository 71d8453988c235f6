# `-ldflags` is a go build flag, not a library to link.
FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -ldflags="-s -w" -o /src/app .

FROM debian:bookworm-slim AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /src/app /src/app
WORKDIR /src
CMD ["/src/app"]
