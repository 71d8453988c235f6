FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
USER 1000
CMD ["python", "app.py"]
