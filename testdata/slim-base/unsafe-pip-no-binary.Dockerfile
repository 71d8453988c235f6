# pip builds PyYAML from source: on python:3.11-slim there is no gcc, and
# PyYAML installs without its C extension (yaml.CSafeLoader is gone).
FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install --no-binary PyYAML -r requirements.txt
CMD ["python", "convert.py"]
