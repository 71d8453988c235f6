FROM rust:1.80
WORKDIR /src
COPY . .
RUN cargo install --path .
CMD ["app"]
