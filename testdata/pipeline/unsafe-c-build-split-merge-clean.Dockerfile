FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y gcc libc6-dev
WORKDIR /src
COPY hello.c .
RUN gcc -O2 -o /usr/local/bin/hello hello.c
CMD ["/usr/local/bin/hello"]
