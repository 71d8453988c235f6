FROM node:20
RUN (cd /app && npm ci) && npm ls | head -5
