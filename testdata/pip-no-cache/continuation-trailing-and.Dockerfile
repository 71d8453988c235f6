FROM python:3.12
RUN pip install \
        requests \
        six && \
    python -c 'import six'
