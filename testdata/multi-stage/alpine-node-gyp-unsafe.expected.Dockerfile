FROM node:12-alpine AS build
WORKDIR /usr/src/app
RUN apk add --no-cache --virtual .gyp g++ make python3
COPY package*.json ./
RUN npm install
RUN npm prune --production
COPY . .

FROM node:12-alpine AS runtime
COPY --from=build /usr/src/app /usr/src/app
WORKDIR /usr/src/app
EXPOSE 3000
CMD ["npm", "start"]
