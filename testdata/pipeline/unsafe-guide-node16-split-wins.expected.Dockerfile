# The guides' Node example: `fix --unsafe` splits it (DS201) rather than
# only swapping the base (DS101/DS102); the builder keeps the full image.
FROM node:16 AS build
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm install && npm cache clean --force \
    && npm prune --omit=dev
COPY . .

FROM node:16-slim AS runtime
COPY --from=build /usr/src/app /usr/src/app
WORKDIR /usr/src/app
EXPOSE 8080
CMD [ "node", "app.js" ]
