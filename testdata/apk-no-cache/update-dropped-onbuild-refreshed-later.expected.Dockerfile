FROM alpine:3.19
ONBUILD RUN apk add --no-cache git
RUN apk add --no-cache curl
RUN apk update && apk add --no-cache wget
