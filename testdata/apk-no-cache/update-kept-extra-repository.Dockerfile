FROM alpine:3.19
RUN apk update -X https://dl-cdn.alpinelinux.org/alpine/edge/testing && apk add curl
