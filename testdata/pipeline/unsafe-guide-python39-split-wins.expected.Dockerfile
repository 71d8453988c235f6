# The guides' Python app: `fix --unsafe` splits it (DS201: the dependencies
# in a venv copied to `python:3.9-slim`) rather than only swapping the base
# (DS101 slim, DS102 alpine); the builder keeps the full image.
FROM python:3.9 AS build
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

FROM python:3.9-slim AS runtime
COPY --from=build /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY --from=build /app /app
WORKDIR /app
CMD ["python","app.py"]
