# gunicorn by the path pip gave it in the full image; PIP_USER sends the
# installs to the home folder.
FROM python:3.11
ENV PIP_USER=1
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["/usr/local/bin/gunicorn", "app:app"]
