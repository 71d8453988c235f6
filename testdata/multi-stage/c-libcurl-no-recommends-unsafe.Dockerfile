# -lcurl: the runtime installs the library of libcurl4-openssl-dev.
FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev libcurl4-openssl-dev ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY fetch.c /src/fetch.c
RUN gcc -O2 -o /usr/local/bin/fetch /src/fetch.c -lcurl
CMD ["fetch"]
