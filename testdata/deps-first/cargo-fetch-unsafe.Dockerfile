FROM rust:1.80
WORKDIR /src
COPY . .
RUN cargo fetch
RUN cargo build --release
