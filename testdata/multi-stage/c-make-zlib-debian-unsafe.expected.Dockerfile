# `make`: the binary is the one the ENTRYPOINT names, in the build folder;
# zlib1g-dev stands for zlib1g, which the slim image has.
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential zlib1g-dev
WORKDIR /opt/gzcat
COPY . .
RUN make

FROM debian:bookworm-slim AS runtime
COPY --from=build /opt/gzcat/crc /opt/gzcat/crc
WORKDIR /opt/gzcat
ENTRYPOINT ["/opt/gzcat/crc"]
