# `[[bin]] name` names the binary; `--root` puts it into /usr/local/bin.
FROM rust:1.85-bookworm
WORKDIR /src
COPY . .
RUN cargo install --locked --path . --root /usr/local
ENTRYPOINT ["/usr/local/bin/srv"]
