# syntax=docker/dockerfile:1
# dslim as a static binary on an empty image.
#   docker build -t dslim .
#   docker run --rm -v "$PWD:/src" dslim check
#   docker run --rm -i dslim fix - < Dockerfile

FROM rust:1.88-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /build
# Everything cargo reads: the manifest and lock, the build script and the
# tables it compiles in (transforms/), the sources, and benches/ (Cargo.toml
# declares the bench). tests/dockerfile.rs builds from exactly these COPYs.
COPY Cargo.toml Cargo.lock build.rs ./
COPY benches ./benches
COPY transforms ./transforms
COPY src ./src
# Alpine's Rust targets musl: the binary is static.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/build/target \
    cargo build --release --locked --bin dslim \
    && cp target/release/dslim /usr/local/bin/dslim

FROM scratch
COPY --from=build /usr/local/bin/dslim /usr/local/bin/dslim
WORKDIR /src
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/dslim"]
CMD ["check"]
