FROM python:3.12
ONBUILD RUN pip install flask
