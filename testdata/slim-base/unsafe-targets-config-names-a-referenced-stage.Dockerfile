FROM python:3.12 AS app
WORKDIR /app
COPY . .
CMD ["python", "main.py"]

FROM app AS test
RUN python -m unittest
