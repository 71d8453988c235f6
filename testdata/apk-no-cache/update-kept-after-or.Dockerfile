FROM alpine:3.19
RUN false || apk update && apk add curl
