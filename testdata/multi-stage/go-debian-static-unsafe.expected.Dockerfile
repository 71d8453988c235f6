# Go from Debian's own package: no golang image needed.
FROM debian:bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends golang-go ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -trimpath -o /usr/local/bin/hello .
USER 65534

FROM scratch AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
WORKDIR /src
USER 65534
EXPOSE 8080
CMD ["hello"]
