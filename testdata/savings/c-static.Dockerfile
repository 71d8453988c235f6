# A C program built with gcc, linked statically.
FROM debian:bookworm
RUN apt-get update && apt-get install -y gcc libc6-dev
WORKDIR /src
COPY hello.c .
RUN gcc -O2 -static -o /usr/local/bin/hello hello.c
CMD ["hello"]
