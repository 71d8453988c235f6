FROM node:20
WORKDIR /app
LABEL org.opencontainers.image.title=web
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile \
    && yarn cache clean
COPY . .
LABEL stage=deps
CMD ["yarn", "start"]
