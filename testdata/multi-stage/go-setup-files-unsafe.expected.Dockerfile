FROM golang:1.22-bookworm AS build
RUN mkdir -p /data /etc/app && echo "port: 8080" > /etc/app/app.yaml && echo ok > /srv/ready
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app . && mkdir -p /usr/local/bin/plugins
VOLUME /data

FROM debian:bookworm-slim AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/local/bin/app /usr/local/bin/app
COPY --from=build /data /data
COPY --from=build /etc/app /etc/app
COPY --from=build /srv/ready /srv/ready
COPY --from=build /usr/local/bin/plugins /usr/local/bin/plugins
WORKDIR /src
VOLUME /data
CMD ["app"]
