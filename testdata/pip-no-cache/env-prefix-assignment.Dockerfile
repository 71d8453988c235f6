FROM python:3.12
RUN PIP_NO_CACHE_DIR=1 pip install requests && env PIP_NO_CACHE_DIR=1 pip install six
