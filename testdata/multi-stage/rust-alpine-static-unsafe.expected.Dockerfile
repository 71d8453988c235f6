FROM rust:1.80-alpine3.20 AS build
WORKDIR /app
COPY . .
RUN cargo build --release

FROM scratch AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /app/target/release/server /app/target/release/server
WORKDIR /app
CMD ["/app/target/release/server"]
