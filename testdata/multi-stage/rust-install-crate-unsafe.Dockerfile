FROM rust:1.85
RUN cargo install ripgrep
ENTRYPOINT ["rg"]
