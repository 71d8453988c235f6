FROM alpine:3.19
ONBUILD RUN apk add git
RUN apk update && apk add curl
RUN apk update && apk add --no-cache wget
