# openssl-sys links libssl: the bookworm runtime installs libssl3.
FROM rust:1-bookworm
WORKDIR /app
COPY . .
RUN cargo build --release
CMD ["/app/target/release/fetch"]
