FROM python:3.12
RUN uv pip install --system requests && uv sync --frozen && uv tool install ruff
