# Built against trixie's glibc: the runtime must be trixie (or newer).
FROM golang:1.25-trixie AS build
WORKDIR /src
COPY . .
RUN go build -o /src/app .

FROM debian:trixie-slim AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /src/app /src/app
WORKDIR /src
CMD ["/src/app"]
