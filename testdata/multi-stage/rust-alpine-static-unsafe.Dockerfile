FROM rust:1.80-alpine3.20
WORKDIR /app
COPY . .
RUN cargo build --release
CMD ["/app/target/release/server"]
