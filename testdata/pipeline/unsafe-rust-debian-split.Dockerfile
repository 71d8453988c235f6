FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y cargo
WORKDIR /src
COPY . .
RUN cargo build --release
CMD ["./target/release/hello"]
