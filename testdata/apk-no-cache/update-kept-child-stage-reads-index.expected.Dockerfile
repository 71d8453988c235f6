FROM alpine:3.19 AS base
RUN apk update && apk add --no-cache curl
FROM base
RUN apk info -a curl
