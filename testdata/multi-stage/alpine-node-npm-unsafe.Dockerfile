FROM alpine:3.19
RUN apk add --no-cache nodejs npm g++ make python3
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
CMD ["node", "server.js"]
