FROM golang:1.21 AS build
COPY . /src
# The `cd` makes the folder of a relative -o unknown; an absolute one is not.
RUN cd /src && CGO_ENABLED=0 go build -o /usr/local/bin/app .

FROM scratch AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/local/bin/app /usr/local/bin/app
WORKDIR /go
ENTRYPOINT ["app"]
