FROM node:18 AS build
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build
RUN yarn install --production --frozen-lockfile --ignore-scripts --prefer-offline

FROM node:18-slim AS runtime
COPY --from=build /app /app
WORKDIR /app
CMD ["yarn", "start"]
