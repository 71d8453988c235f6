FROM golang:1.22 AS build
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o /app/server .
VOLUME /app/data
VOLUME ["/app/cache", "/app/logs"]

FROM scratch AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /app/server /app/server
WORKDIR /app
VOLUME /app/data
VOLUME ["/app/cache", "/app/logs"]
CMD ["/app/server"]
