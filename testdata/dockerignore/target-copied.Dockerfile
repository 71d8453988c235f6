FROM rust:1.80
WORKDIR /src
COPY . .
COPY target/release/app /usr/local/bin/app
