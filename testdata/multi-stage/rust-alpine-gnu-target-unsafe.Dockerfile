FROM rust:1.80-alpine3.20
WORKDIR /app
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-gnu
CMD ["/app/target/x86_64-unknown-linux-gnu/release/server"]
