FROM node:20
WORKDIR /app
COPY . .
RUN npm ci \
# then build
    && npm run build
