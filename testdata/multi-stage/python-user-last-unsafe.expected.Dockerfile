# A USER after the last RUN: everything the build made belongs to root, as
# the runtime's copies do.
FROM python:3.11 AS build
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
USER nobody

FROM python:3.11-slim AS runtime
COPY --from=build /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY --from=build /app /app
WORKDIR /app
USER nobody
CMD ["python", "app.py"]
