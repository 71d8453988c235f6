# cmake configure + build on Debian: Debian's g++ and libstdc++6 match the
# slim image's.
FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends g++ cmake make \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build
CMD ["./build/wordsort"]
