FROM python:3.12-slim
# hadolint ignore=DL3025
CMD python app.py
