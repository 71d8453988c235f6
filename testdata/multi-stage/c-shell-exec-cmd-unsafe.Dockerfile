FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
WORKDIR /src
COPY hello.c .
RUN gcc -o /usr/local/bin/hello hello.c
CMD exec hello --greet "$NAME"
