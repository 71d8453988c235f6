# psycopg2 and lxml built from source: their -dev packages stay in the
# builder, the runtime gets the libraries they stand for; build tools stay.
FROM python:3.12-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential libpq-dev libxml2-dev libxslt1-dev libffi-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/app
COPY requirements.txt ./
RUN pip install --no-cache-dir --no-binary psycopg2 -r requirements.txt
COPY . .
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
