FROM python:3.12-slim
WORKDIR /srv/app
COPY --chown=1000:1000 . /srv/app
RUN pip install -r requirements/base.txt
