# pip of the venv called by its path: no PATH needed; the image's pip by
# its path would bypass the venv.
FROM python:3.12 AS build
WORKDIR /app
RUN python3 -m venv venv && ./venv/bin/pip install flask
COPY app.py .

FROM python:3.12-slim AS runtime
COPY --from=build /app /app
WORKDIR /app
CMD ["/app/venv/bin/python", "app.py"]
