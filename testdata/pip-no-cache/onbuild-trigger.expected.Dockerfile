FROM python:3.12
ONBUILD RUN pip install --no-cache-dir flask
