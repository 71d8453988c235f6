FROM node:20
RUN npm i -g yarn@1
COPY package.json yarn.lock .yarnrc.yml ./
RUN yarn install --immutable
