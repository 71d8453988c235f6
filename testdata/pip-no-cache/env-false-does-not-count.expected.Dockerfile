FROM python:3.12
ENV PIP_NO_CACHE_DIR=0
RUN pip install --no-cache-dir requests
