FROM alpine:3.16
RUN apk add --no-cache gcc musl-dev openssl-dev
WORKDIR /src
COPY . .
RUN gcc -O2 -o /usr/local/bin/fetch fetch.c -lssl -lcrypto
CMD ["fetch"]
