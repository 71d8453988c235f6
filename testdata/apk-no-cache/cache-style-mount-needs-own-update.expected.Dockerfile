# syntax=docker/dockerfile:1
FROM alpine:3.19
RUN apk update
RUN apk add --no-cache curl
