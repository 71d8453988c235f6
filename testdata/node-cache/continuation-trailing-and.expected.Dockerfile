FROM node:20
RUN npm ci && \
    npm run build && \
    npm cache clean --force
