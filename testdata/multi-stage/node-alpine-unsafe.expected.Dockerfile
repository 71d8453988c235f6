FROM node:20-alpine AS build
WORKDIR /app
COPY . .
RUN npm ci
RUN npm prune --omit=dev

FROM node:20-alpine AS runtime
COPY --from=build /app /app
WORKDIR /app
CMD ["node", "index.js"]
