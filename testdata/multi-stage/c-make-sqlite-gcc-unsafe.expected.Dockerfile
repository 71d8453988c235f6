# The gcc image has libsqlite3-dev: the Makefile's -lsqlite3 means the
# runtime needs libsqlite3-0.
FROM gcc:13-bookworm AS build
WORKDIR /src
COPY . .
RUN make PREFIX=/usr install

FROM debian:bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-0 && rm -rf /var/lib/apt/lists/*
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/bin/kv /usr/bin/kv
WORKDIR /src
CMD ["kv"]
