# The guides' Python app: `fix --unsafe` splits it (DS201: the dependencies
# in a venv copied to `python:3.9-slim`) rather than only swapping the base
# (DS101 slim, DS102 alpine); the builder keeps the full image.
FROM python:3.9
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["python","app.py"]
