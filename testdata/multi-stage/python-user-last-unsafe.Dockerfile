# A USER after the last RUN: everything the build made belongs to root, as
# the runtime's copies do.
FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
USER nobody
CMD ["python", "app.py"]
