FROM node:20-bookworm-slim AS web
COPY . .
CMD ["node", "server.js"]
