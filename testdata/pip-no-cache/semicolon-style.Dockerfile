FROM python:3.12
RUN set -eux; \
	pip install requests; \
	python -c 'import requests'
