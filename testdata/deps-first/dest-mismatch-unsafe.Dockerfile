FROM python:3.12
COPY . /src
RUN pip install -r /src/requirements.txt
