# An apt-installed -dev package means the stage compiles against it.
FROM python:3.11
RUN apt-get update && apt-get install -y libyaml-dev
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "convert.py"]
