FROM node:20-bookworm
ENV NODE_ENV=development
WORKDIR /app
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci
COPY --chown=node:node . .
RUN npm run build
USER node
HEALTHCHECK CMD node healthcheck.js
CMD ["node", "dist/index.js"]
