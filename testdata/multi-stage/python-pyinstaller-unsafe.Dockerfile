# The guides' PyInstaller build in one stage: the binary runs without Python.
FROM python:3.9-slim

RUN apt-get update && apt-get install -y --no-install-recommends build-essential gcc && rm -rf /var/lib/apt/lists/*

WORKDIR /app

COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY . .

RUN pip install pyinstaller
RUN pyinstaller --onefile inference.py

ENTRYPOINT ["/app/dist/inference"]
