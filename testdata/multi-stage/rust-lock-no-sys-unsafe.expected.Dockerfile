# Cargo.lock in the context lists no `-sys` crate: nothing to install.
FROM rust:1.85-bookworm AS build
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release --locked

FROM debian:bookworm-slim AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/src/app/target/release/app /usr/src/app/target/release/app
WORKDIR /usr/src/app
CMD ["./target/release/app"]
