FROM python:3.12
WORKDIR /src
COPY .git ./.git
COPY Dockerfile* ./
COPY . .
RUN pip install .
