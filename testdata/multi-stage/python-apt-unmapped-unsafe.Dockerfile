# ffmpeg is no build tool and no -dev package: the program may run it, and
# the slim runtime would lack it.
FROM python:3.11
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg libpq-dev
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "convert.py"]
