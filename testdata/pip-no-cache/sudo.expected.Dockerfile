FROM python:3.12
USER app
RUN sudo -H pip install --no-cache-dir requests
