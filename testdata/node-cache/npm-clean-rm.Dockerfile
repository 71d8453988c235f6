FROM node:20
RUN npm ci && rm -rf ~/.npm
