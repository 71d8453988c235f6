FROM python:3.12
ENV UV_NO_CACHE=1
RUN uv sync --frozen
