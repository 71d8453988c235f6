# -lcurl: the runtime installs the library of libcurl4-openssl-dev.
FROM debian:bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev libcurl4-openssl-dev ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY fetch.c /src/fetch.c
RUN gcc -O2 -o /usr/local/bin/fetch /src/fetch.c -lcurl

FROM debian:bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends libcurl4 && rm -rf /var/lib/apt/lists/*
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/local/bin/fetch /usr/local/bin/fetch
CMD ["fetch"]
