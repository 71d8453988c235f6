# A Rust program built with Debian's cargo package in one stage.
FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y --no-install-recommends cargo
WORKDIR /src
COPY Cargo.toml ./
COPY src ./src
RUN cargo build --release
CMD ["/src/target/release/hello"]
