FROM node:20-bookworm AS build
ENV NODE_ENV=development
WORKDIR /app
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci
COPY --chown=node:node . .
RUN npm run build
RUN npm prune --omit=dev
USER node

FROM node:20-bookworm-slim AS runtime
COPY --from=build --chown=node:node /app /app
ENV NODE_ENV=development
WORKDIR /app
USER node
HEALTHCHECK CMD node healthcheck.js
CMD ["node", "dist/index.js"]
