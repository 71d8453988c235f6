# openssl-sys links libssl: the slim runtime lacks it.
FROM rust:1.80
RUN apt-get update && apt-get install -y --no-install-recommends pkg-config libssl-dev
WORKDIR /app
COPY . .
RUN cargo build --release
CMD ["./target/release/server"]
