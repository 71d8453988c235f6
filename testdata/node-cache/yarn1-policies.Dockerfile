FROM node:20
RUN yarn policies set-version 1.22.19 && yarn install
