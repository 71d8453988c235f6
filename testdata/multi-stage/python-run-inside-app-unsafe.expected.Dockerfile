# File commands inside the app folder and cache cleanup are accounted for.
FROM python:3.11 AS build
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY requirements.txt .
RUN pip install --upgrade pip && pip install -r requirements.txt && rm -rf /root/.cache/pip
COPY . .
RUN mkdir -p data static && chmod +x run.sh

FROM python:3.11-slim AS runtime
COPY --from=build /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY --from=build /app /app
WORKDIR /app
CMD ["./run.sh"]
