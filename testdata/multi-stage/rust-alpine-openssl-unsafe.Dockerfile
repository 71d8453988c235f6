FROM rust:1.80-alpine3.20
RUN apk add --no-cache musl-dev openssl-dev pkgconf
WORKDIR /app
COPY . .
RUN cargo build --release
CMD ["/app/target/release/server"]
