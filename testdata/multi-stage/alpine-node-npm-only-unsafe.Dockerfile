FROM alpine:3.20
RUN apk add --no-cache npm
WORKDIR /app
COPY . .
RUN npm install
CMD ["node", "index.js"]
