# Alpine's own cargo: its target links musl and libgcc dynamically
# (`crt-static` off by default), so the binary goes to the same release
# with libgcc; openssl-dev stands for libssl3.
FROM alpine:3.19
RUN apk add --no-cache cargo openssl-dev
WORKDIR /src
COPY . .
RUN cargo build --release
CMD ["/src/target/release/app"]
