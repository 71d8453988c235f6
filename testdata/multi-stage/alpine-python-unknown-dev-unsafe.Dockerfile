FROM alpine:3.19
RUN apk add --no-cache python3 build-base python3-dev jpeg-dev zlib-dev
WORKDIR /app
COPY . .
RUN python3 -m venv /app/.venv && /app/.venv/bin/pip install --no-cache-dir -r requirements.txt
CMD ["/app/.venv/bin/python", "app.py"]
