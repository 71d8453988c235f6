# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
WORKDIR /src
COPY hello.c .
RUN --mount=type=tmpfs,target=/out gcc -O2 -static -o /out/hello hello.c
CMD ["/out/hello"]
