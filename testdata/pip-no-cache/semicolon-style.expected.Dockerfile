FROM python:3.12
RUN set -eux; \
	pip install --no-cache-dir requests; \
	python -c 'import requests'
