# `make -j"$(nproc)"`: parallelism does not change what the build writes.
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc make libc6-dev
WORKDIR /src
COPY . .
RUN make -j"$(nproc)" && make install PREFIX=/usr/local

FROM debian:bookworm-slim AS runtime
COPY --from=build /usr/local/bin/tool /usr/local/bin/tool
WORKDIR /src
CMD ["tool"]
