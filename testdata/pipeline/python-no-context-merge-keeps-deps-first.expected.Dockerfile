FROM python:3.12
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt \
    && python -m compileall .
CMD ["python", "app.py"]
