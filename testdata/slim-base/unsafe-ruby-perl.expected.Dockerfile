FROM ruby:3.3-slim
COPY . /app
FROM perl:5.38-slim-bookworm
COPY . /app
