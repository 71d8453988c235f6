FROM rust:1.80-alpine3.20 AS build
RUN apk add --no-cache musl-dev openssl-dev pkgconf
WORKDIR /app
COPY . .
RUN cargo build --release

FROM alpine:3.20 AS runtime
RUN apk add --no-cache libssl3 libgcc
COPY --from=build /app/target/release/server /app/target/release/server
WORKDIR /app
CMD ["/app/target/release/server"]
