FROM python:3.12
RUN apt-get update && apt-get install -y gcc && pip install --no-cache-dir psycopg2
COPY . /app
