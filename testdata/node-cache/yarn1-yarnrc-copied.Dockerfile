FROM node:20
COPY package.json yarn.lock .yarnrc ./
RUN yarn --frozen-lockfile --production
