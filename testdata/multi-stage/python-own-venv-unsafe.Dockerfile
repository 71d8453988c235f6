# The stage's own venv is kept (no second one), the requirements file copied
# outside the app folder is only read by pip.
FROM python:3.12
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY requirements.txt .
RUN pip install -r requirements.txt
WORKDIR /app
COPY app.py .
CMD ["python", "app.py"]
