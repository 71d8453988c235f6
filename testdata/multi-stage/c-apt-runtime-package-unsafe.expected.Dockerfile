FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential procps \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN gcc -O2 -o /usr/local/bin/pstool pstool.c

FROM debian:bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends procps && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/pstool /usr/local/bin/pstool
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/pstool"]
