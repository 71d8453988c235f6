# syntax=docker/dockerfile:1
FROM node:20
RUN --mount=type=cache,target=/root/.npm npm ci
