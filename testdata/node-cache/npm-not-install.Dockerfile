FROM node:20
RUN npm run build && npm test
