# Cargo.lock in the context lists no `-sys` crate: nothing to install.
FROM rust:1.85-bookworm
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release --locked
CMD ["./target/release/app"]
