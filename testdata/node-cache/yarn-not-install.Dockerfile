FROM node:20
RUN yarn build
