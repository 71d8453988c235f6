FROM ruby:3.3
COPY . /app
FROM perl:5.38-bookworm
COPY . /app
