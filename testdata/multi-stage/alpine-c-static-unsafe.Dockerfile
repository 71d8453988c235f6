FROM alpine:3.18
RUN apk add --no-cache build-base
WORKDIR /src
COPY hello.c .
RUN gcc -static -O2 -o /hello hello.c
CMD ["/hello"]
