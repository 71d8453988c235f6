FROM python:3.12 AS build
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
ENV PYTHONUNBUFFERED=1
WORKDIR /srv
COPY . .
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.12-slim AS runtime
COPY --from=build /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY --from=build /srv /srv
ENV PYTHONUNBUFFERED=1
WORKDIR /srv
EXPOSE 5000
CMD ["flask", "run", "--host=0.0.0.0"]
