FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make && install -m 0755 mytool /usr/local/bin/ && make clean

FROM debian:bookworm-slim AS runtime
COPY --from=build /usr/local/bin/mytool /usr/local/bin/mytool
WORKDIR /src
CMD ["mytool", "--serve"]
