# The RUN after the install writes /etc/app.conf, which the runtime (the
# venv and /app) would not get.
FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
RUN mkdir -p /etc/app && cp app.conf /etc/app/app.conf
CMD ["python", "app.py"]
