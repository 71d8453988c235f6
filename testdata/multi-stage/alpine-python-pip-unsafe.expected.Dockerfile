FROM alpine:3.19 AS build
RUN apk add --no-cache python3 py3-pip build-base python3-dev libffi-dev openssl-dev postgresql-dev
WORKDIR /app
COPY requirements.txt .
RUN python3 -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

FROM alpine:3.19 AS runtime
RUN apk add --no-cache python3 libffi libssl3 libpq
COPY --from=build /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY --from=build /app /app
WORKDIR /app
EXPOSE 8000
CMD ["python3", "app.py"]
