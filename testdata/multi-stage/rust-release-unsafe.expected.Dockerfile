FROM rust:1.80 AS build
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release

FROM debian:stable-slim AS runtime
COPY --from=build /usr/src/app/target/release/app /usr/src/app/target/release/app
WORKDIR /usr/src/app
CMD ["./target/release/app"]
