# No WORKDIR and no app files: the image is the packages pip installs and
# a command they bring; the runtime gets the venv alone.
FROM python:3.12
COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt && pip install --no-cache-dir httpie
ENTRYPOINT ["http"]
