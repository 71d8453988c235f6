ARG NODE=20
FROM --platform=linux/amd64 node:${NODE}-alpine
COPY . .
