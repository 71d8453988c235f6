FROM python:3.12-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc \
    && pip install --no-cache-dir numpy \
    && gem install --no-document bundler \
    && rm -rf /var/lib/apt/lists/*
