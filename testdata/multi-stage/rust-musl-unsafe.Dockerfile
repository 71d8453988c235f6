FROM rust:1.80-bookworm
RUN rustup target add x86_64-unknown-linux-musl
WORKDIR /app
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-musl
ENTRYPOINT ["./target/x86_64-unknown-linux-musl/release/server"]
