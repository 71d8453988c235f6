FROM alpine:3.19
RUN apk add --no-cache gcc musl-dev zlib-dev openssl-dev
WORKDIR /src
COPY . .
RUN gcc -O2 -o /usr/local/bin/fetch fetch.c -lz -lssl -lcrypto
CMD ["fetch"]
