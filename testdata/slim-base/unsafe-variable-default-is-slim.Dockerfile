ARG PY=3.12-slim
FROM python:${PY}
COPY . /app
