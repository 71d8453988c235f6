FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends build-essential procps \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN gcc -O2 -o /usr/local/bin/pstool pstool.c
ENTRYPOINT ["/usr/local/bin/pstool"]
