# psycopg2 and lxml built from source: their -dev packages stay in the
# builder, the runtime gets the libraries they stand for; build tools stay.
FROM python:3.12-bookworm AS build
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential libpq-dev libxml2-dev libxslt1-dev libffi-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/app
COPY requirements.txt ./
RUN pip install --no-cache-dir --no-binary psycopg2 -r requirements.txt
COPY . .

FROM python:3.12-slim-bookworm AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 libxml2 libxslt1.1 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY --from=build /srv/app /srv/app
WORKDIR /srv/app
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
