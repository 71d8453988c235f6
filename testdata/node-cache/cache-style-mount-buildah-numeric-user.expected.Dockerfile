FROM node:20
COPY .yarnrc ./
USER 1000:1000
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn,uid=1000,gid=1000 yarn install
