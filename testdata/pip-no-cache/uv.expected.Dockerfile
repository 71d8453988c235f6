FROM python:3.12
RUN uv pip install --no-cache --system requests && uv sync --no-cache --frozen && uv tool install --no-cache ruff
