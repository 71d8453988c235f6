FROM debian:bookworm-slim AS build
RUN apt-get update \
    && apt-get install --no-install-recommends -y cargo \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/cc-debian13 AS runtime
COPY --from=build /src/target/release/hello /src/target/release/hello
WORKDIR /src
USER 65532
CMD ["./target/release/hello"]
