FROM node:20
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends imagemagick
COPY . .
RUN npm ci
CMD ["node", "index.js"]
