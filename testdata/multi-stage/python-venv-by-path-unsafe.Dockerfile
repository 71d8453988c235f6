# pip of the venv called by its path: no PATH needed; the image's pip by
# its path would bypass the venv.
FROM python:3.12
WORKDIR /app
RUN python3 -m venv venv && ./venv/bin/pip install flask
COPY app.py .
CMD ["/app/venv/bin/python", "app.py"]
