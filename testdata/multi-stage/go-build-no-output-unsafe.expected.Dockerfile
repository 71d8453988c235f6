FROM golang:1.22 AS build
WORKDIR /app
COPY . .
RUN go build .

FROM debian:stable-slim AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /app/app /app/app
WORKDIR /app
CMD ["/app/app"]
