FROM rust:1.77 AS build
WORKDIR /src
COPY . .
RUN cargo build --release
FROM gcr.io/distroless/cc-debian13
COPY --from=build /src/target/release/myapp /usr/local/bin/
USER nonroot
EXPOSE 8080
ENTRYPOINT ["myapp"]
