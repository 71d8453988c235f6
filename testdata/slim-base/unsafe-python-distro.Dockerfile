FROM python:3.12-bookworm
COPY . /app
