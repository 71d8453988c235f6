# cmake --install with a prefix: the CMD runs the program by name.
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends g++ cmake make
WORKDIR /src
COPY . .
RUN cmake -B build -DCMAKE_INSTALL_PREFIX=/usr && cmake --build build && cmake --install build
CMD ["wordsort"]
