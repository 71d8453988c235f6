FROM python:3.12
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
RUN python -m compileall .
CMD ["python", "app.py"]
