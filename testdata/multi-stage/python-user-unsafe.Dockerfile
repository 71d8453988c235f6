FROM python:3.11
WORKDIR /app
COPY . .
USER 1000
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
