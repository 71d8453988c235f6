FROM alpine:3.20 AS build
RUN apk add --no-cache nodejs npm
WORKDIR /app
COPY . .
RUN npm install
RUN npm prune --production

FROM alpine:3.20 AS runtime
RUN apk add --no-cache nodejs npm
COPY --from=build /app /app
WORKDIR /app
EXPOSE 3000
CMD ["npm", "start"]
