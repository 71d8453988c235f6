FROM alpine:3.19 AS build
RUN apk add --no-cache nodejs npm g++ make python3
WORKDIR /app
COPY package*.json ./
RUN npm ci
RUN npm prune --production
COPY . .

FROM alpine:3.19 AS runtime
RUN apk add --no-cache nodejs
COPY --from=build /app /app
WORKDIR /app
CMD ["node", "server.js"]
