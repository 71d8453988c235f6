FROM alpine:3.19
RUN apk add --no-cache python3 py3-pip build-base python3-dev libffi-dev openssl-dev postgresql-dev
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 8000
CMD ["python3", "app.py"]
