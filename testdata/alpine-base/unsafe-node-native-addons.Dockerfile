FROM node:20-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev && npm install sharp@0.33 bcrypt
COPY . .
CMD ["node", "server.js"]
FROM node:20-slim
WORKDIR /app
COPY . .
RUN npx node-gyp rebuild
CMD ["node", "server.js"]
