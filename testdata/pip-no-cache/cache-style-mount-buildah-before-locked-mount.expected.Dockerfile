FROM python:3.12
RUN --mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/var/cache/apt,sharing=locked --network=host pip install requests
