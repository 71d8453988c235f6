FROM python:3.12-slim
RUN apt-get update
RUN apt-get install -y --no-install-recommends gcc
RUN pip install numpy
RUN gem install bundler
