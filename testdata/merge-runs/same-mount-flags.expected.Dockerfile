FROM python:3.12-slim
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt \
    && pip install .
