FROM debian:bookworm-slim AS base
ENTRYPOINT ["/entry"]
FROM debian:bookworm-slim
SHELL ["/bin/bash", "-c"]
CMD gunicorn app:app -b 0.0.0.0:8000 -w 4
