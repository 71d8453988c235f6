FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY hello.c .
RUN gcc -O2 -o hello hello.c

FROM debian:bookworm-slim AS runtime
COPY --from=build /src/hello /src/hello
WORKDIR /src
CMD ["./hello"]
