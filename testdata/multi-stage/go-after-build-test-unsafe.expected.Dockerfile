FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .
RUN go vet ./... && go test ./...
RUN chmod 0755 /usr/local/bin/app && rm -rf /src/testdata
USER 65532

FROM scratch AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/local/bin/app /usr/local/bin/app
WORKDIR /src
USER 65532
CMD ["app"]
