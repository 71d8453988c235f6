# Rust from Debian's own cargo package.
FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends cargo \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml ./
COPY src ./src
RUN cargo build --release --locked
USER 1000:1000
CMD ["/src/target/release/hello"]
