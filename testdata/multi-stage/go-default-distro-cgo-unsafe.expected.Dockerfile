# No release in the tag: the runtime follows Debian stable, as the golang
# image's default does.
FROM golang:1.25 AS build
WORKDIR /src
COPY . .
RUN go build -o /src/app .

FROM debian:stable-slim AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /src/app /src/app
WORKDIR /src
CMD ["/src/app"]
