# `[[bin]] name` names the binary; `--root` puts it into /usr/local/bin.
FROM rust:1.85-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo install --locked --path . --root /usr/local

FROM debian:bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/local/bin/srv /usr/local/bin/srv
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/srv"]
