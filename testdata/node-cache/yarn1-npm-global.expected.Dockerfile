FROM node:20
RUN npm install -g yarn@1.22.22 && npm cache clean --force
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile && yarn cache clean
