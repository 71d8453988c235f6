FROM node:20-bookworm AS web
COPY . .
CMD ["node", "server.js"]
