FROM docker.io/library/python:3.12-slim-bookworm AS app
COPY . /app
RUN pip install --no-cache-dir -r /app/requirements.txt
CMD ["python", "/app/main.py"]
