FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install --target=/deps -r requirements.txt
ENV PYTHONPATH=/deps
CMD ["python", "app.py"]
