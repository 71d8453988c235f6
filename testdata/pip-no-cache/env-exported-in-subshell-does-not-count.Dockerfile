FROM python:3.12
RUN (export PIP_NO_CACHE_DIR=1) && pip install requests
