# Slim and Alpine both apply: `--unsafe` leaves the image to DS101 (slim,
# glibc); Alpine is the display-only alternative, for the full and the
# slim tag alike.
FROM node:20 AS web
WORKDIR /app
COPY . .
CMD ["node", "server.js"]
FROM python:3.12-slim
COPY app.py /app/
CMD ["python", "/app/app.py"]
