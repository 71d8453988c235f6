FROM python:3.12
WORKDIR /app
COPY . .
RUN python -m pip install -r requirements.txt
