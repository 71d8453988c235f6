FROM node:18-alpine AS build
WORKDIR /app
RUN apk add --no-cache imagemagick
COPY . .
RUN npm ci
RUN npm prune --omit=dev

FROM node:18-alpine AS runtime
RUN apk add --no-cache imagemagick
COPY --from=build /app /app
WORKDIR /app
CMD ["node", "index.js"]
