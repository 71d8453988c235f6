# An sdist build with no -dev package named: which libraries of the full
# image it links is unknown.
FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install --no-binary :all: -r requirements.txt
CMD ["python", "app.py"]
