# The stage's own venv is kept (no second one), the requirements file copied
# outside the app folder is only read by pip.
FROM python:3.12 AS build
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY requirements.txt .
RUN pip install -r requirements.txt
WORKDIR /app
COPY app.py .

FROM python:3.12-slim AS runtime
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /app
CMD ["python", "app.py"]
