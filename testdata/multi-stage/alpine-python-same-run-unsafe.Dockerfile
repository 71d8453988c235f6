FROM alpine:3.19
WORKDIR /app
COPY requirements.txt .
RUN apk add --no-cache python3 py3-pip build-base python3-dev \
    && pip install --no-cache-dir --break-system-packages -r requirements.txt
COPY . .
CMD ["python3", "app.py"]
