FROM python:3.12-slim
WORKDIR /srv/app
COPY --chown=1000:1000 requirements/base.txt /srv/app/requirements/base.txt
RUN pip install -r requirements/base.txt
COPY --chown=1000:1000 . /srv/app
