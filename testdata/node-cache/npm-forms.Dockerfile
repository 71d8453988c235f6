FROM node:20
WORKDIR /app
RUN npm install && npm i -g typescript && npm run build
