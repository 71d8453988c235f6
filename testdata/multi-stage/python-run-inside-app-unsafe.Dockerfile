# File commands inside the app folder and cache cleanup are accounted for.
FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install --upgrade pip && pip install -r requirements.txt && rm -rf /root/.cache/pip
COPY . .
RUN mkdir -p data static && chmod +x run.sh
CMD ["./run.sh"]
