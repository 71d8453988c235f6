FROM rust:1.80-alpine AS build
ENV RUSTFLAGS="-C target-feature=-crt-static"
WORKDIR /app
COPY . .
RUN cargo build --release

FROM alpine:3 AS runtime
RUN apk add --no-cache libgcc
COPY --from=build /app/target/release/server /app/target/release/server
ENV RUSTFLAGS="-C target-feature=-crt-static"
WORKDIR /app
CMD ["/app/target/release/server"]
