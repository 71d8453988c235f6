# cmake configure + build on Debian: Debian's g++ and libstdc++6 match the
# slim image's.
FROM debian:bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends g++ cmake make \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build

FROM debian:bookworm-slim AS runtime
COPY --from=build /app/build/wordsort /app/build/wordsort
WORKDIR /app
CMD ["./build/wordsort"]
