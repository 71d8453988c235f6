# The CMD runs a program Cargo.toml does not build.
FROM rust:1.85
WORKDIR /usr/src/app
COPY . .
RUN cargo install --path .
CMD ["server"]
