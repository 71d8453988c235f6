FROM node:20
COPY .yarnrc ./
RUN yarn install && rm -rf /usr/local/share/.cache/yarn
