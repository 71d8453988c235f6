FROM node:18-alpine
WORKDIR /app
RUN apk add --no-cache imagemagick
COPY . .
RUN npm ci
CMD ["node", "index.js"]
