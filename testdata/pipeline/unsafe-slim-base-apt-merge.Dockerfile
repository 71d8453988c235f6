FROM python:3.12
RUN apt-get update
RUN apt-get install -y libpq5
COPY . /app
RUN pip install --no-cache-dir -r /app/requirements.txt
CMD python /app/main.py
