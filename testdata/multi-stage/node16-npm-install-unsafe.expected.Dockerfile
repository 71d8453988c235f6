FROM node:16 AS build
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm install
RUN npm prune --omit=dev
COPY . .

FROM node:16-slim AS runtime
COPY --from=build /usr/src/app /usr/src/app
WORKDIR /usr/src/app
EXPOSE 8080
CMD [ "node", "server.js" ]
