# zlib1g-dev: the binary may link libz.so.1, which debian-slim has and the
# distroless cc image does not.
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
COPY hello.c .
RUN gcc -O2 -o /hello hello.c -lz
FROM debian:bookworm-slim
COPY --from=build /hello /hello
CMD ["/hello"]
