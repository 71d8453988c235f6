FROM debian:bookworm
RUN --mount=type=cache,target=/root/.cache/pip,sharing=locked apt-get update && apt-get install -y python3-pip && pip install requests
