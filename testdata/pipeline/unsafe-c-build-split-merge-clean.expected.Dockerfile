FROM debian:bookworm AS build
RUN apt-get update \
    && apt-get install --no-install-recommends -y gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY hello.c .
RUN gcc -O2 -o /usr/local/bin/hello hello.c

FROM gcr.io/distroless/cc-debian13 AS runtime
COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
WORKDIR /src
USER 65532
CMD ["/usr/local/bin/hello"]
