FROM alpine:3.19 AS build
RUN apk add --no-cache gcc musl-dev zlib-dev openssl-dev
WORKDIR /src
COPY . .
RUN gcc -O2 -o /usr/local/bin/fetch fetch.c -lz -lssl -lcrypto

FROM alpine:3.19 AS runtime
RUN apk add --no-cache zlib libssl3 libcrypto3
COPY --from=build /usr/local/bin/fetch /usr/local/bin/fetch
WORKDIR /src
CMD ["fetch"]
