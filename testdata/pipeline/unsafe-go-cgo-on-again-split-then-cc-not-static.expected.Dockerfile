# The build command turns cgo back on: a glibc binary, not one for scratch.
FROM golang:1.22-bookworm AS build
ENV CGO_ENABLED=0
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go vet ./... && CGO_ENABLED=1 go build -o /src/app .

FROM gcr.io/distroless/cc-debian13 AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /src/app /src/app
ENV CGO_ENABLED=0
WORKDIR /src
USER 65532
CMD ["/src/app"]
