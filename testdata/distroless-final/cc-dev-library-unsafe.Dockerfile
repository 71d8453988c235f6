# The builder installs zlib1g-dev: the binary links libz.so.1, which the
# distroless cc image lacks.
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc make libc6-dev zlib1g-dev
WORKDIR /src
COPY . .
RUN make

FROM debian:bookworm-slim AS runtime
COPY --from=build /src/crc /usr/local/bin/crc
ENTRYPOINT ["/usr/local/bin/crc"]
