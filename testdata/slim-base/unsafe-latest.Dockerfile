FROM python
COPY . /app
FROM node:latest
COPY . /app
