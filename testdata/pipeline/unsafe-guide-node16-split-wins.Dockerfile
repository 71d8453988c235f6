# The guides' Node example: `fix --unsafe` splits it (DS201) rather than
# only swapping the base (DS101/DS102); the builder keeps the full image.
FROM node:16
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm install
COPY . .
EXPOSE 8080
CMD [ "node", "app.js" ]
