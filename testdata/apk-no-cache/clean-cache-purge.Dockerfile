FROM alpine:3.19
RUN apk add curl && apk cache clean
