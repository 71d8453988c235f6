# syntax=docker/dockerfile:1
FROM node:20
COPY .yarnrc ./
USER 1000:1000
RUN yarn install && yarn cache clean
