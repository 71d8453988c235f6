# requirements.txt read from the build context names mysqlclient, which
# builds from source: the runtime gets its library.
FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
