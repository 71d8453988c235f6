FROM debian:bookworm
RUN apt-get update && apt-get install -y gcc libcurl4-openssl-dev
COPY fetch.c /src/fetch.c
RUN gcc -o /usr/local/bin/fetch /src/fetch.c -lcurl
CMD ["fetch"]
