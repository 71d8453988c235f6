# libgit2-sys may link the system libgit2: no package is known for it.
FROM rust:1.85
WORKDIR /app
COPY . .
RUN cargo build --release
CMD ["./target/release/tool"]
