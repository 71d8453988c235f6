# syntax=docker/dockerfile:1
FROM node:20
RUN <<EOF
npm ci
EOF
