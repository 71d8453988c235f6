FROM rust:1.80
WORKDIR /src
COPY . .
RUN cargo build
CMD ["./target/debug/app"]
