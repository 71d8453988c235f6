# psycopg2 has no Linux wheels: pip compiles it against the full image's
# libpq headers, so the runtime gets libpq5.
FROM python:3.11
WORKDIR /app
RUN pip install --no-cache-dir psycopg2==2.9.9 flask
COPY . .
CMD ["python", "app.py"]
