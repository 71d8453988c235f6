FROM node:20
WORKDIR /app
LABEL org.opencontainers.image.title=web
COPY . .
LABEL stage=deps
RUN yarn install --frozen-lockfile \
    && yarn cache clean
CMD ["yarn", "start"]
