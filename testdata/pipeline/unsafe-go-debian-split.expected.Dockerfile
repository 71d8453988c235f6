# A Go server built with Debian's golang-go, in one stage: DS001 merges the
# apt RUNs, DS002 cleans the lists, DS003 drops recommended packages (then
# no CA bundle can come along unasked), DS201 splits onto scratch with the
# bundle ca-certificates installs.
FROM debian:bookworm AS build
RUN apt-get update \
    && apt-get install --no-install-recommends -y golang-go ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -o /usr/local/bin/hello .

FROM scratch AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
WORKDIR /src
EXPOSE 8080
CMD ["hello"]
