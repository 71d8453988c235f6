FROM node:12-alpine
WORKDIR /usr/src/app
RUN apk add --no-cache --virtual .gyp g++ make python3
COPY package*.json ./
RUN npm install
COPY . .
EXPOSE 3000
CMD ["npm", "start"]
