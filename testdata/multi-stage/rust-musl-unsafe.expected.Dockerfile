FROM rust:1.80-bookworm AS build
RUN rustup target add x86_64-unknown-linux-musl
WORKDIR /app
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-musl

FROM scratch AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /app/target/x86_64-unknown-linux-musl/release/server /app/target/x86_64-unknown-linux-musl/release/server
WORKDIR /app
ENTRYPOINT ["./target/x86_64-unknown-linux-musl/release/server"]
