FROM alpine:3.16
RUN apk add --no-cache python3 py3-pip gcc musl-dev python3-dev openssl-dev
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python3", "app.py"]
