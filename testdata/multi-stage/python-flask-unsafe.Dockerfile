FROM python:3.12
ENV PYTHONUNBUFFERED=1
WORKDIR /srv
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
EXPOSE 5000
CMD ["flask", "run", "--host=0.0.0.0"]
