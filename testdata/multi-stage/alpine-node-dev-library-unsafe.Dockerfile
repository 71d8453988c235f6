FROM node:18-alpine
WORKDIR /app
RUN apk add --no-cache vips-dev g++ make python3
COPY . .
RUN npm ci
CMD ["node", "index.js"]
