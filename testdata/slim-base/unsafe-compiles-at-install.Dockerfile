# pip builds PyYAML from source against libyaml-dev: on the slim image there
# is no gcc, and pip quietly builds it without its C extension.
FROM python:3.11
RUN apt-get update && apt-get install -y libyaml-dev && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-binary PyYAML -r requirements.txt
CMD ["python", "app.py"]
FROM ruby:3.3
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
COPY . /app
CMD ["ruby", "/app/app.rb"]
FROM python:3.12
ENV PIP_NO_BINARY=:all:
RUN pip install --no-cache-dir requests
CMD ["python", "-m", "http.server"]
