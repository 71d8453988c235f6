FROM debian
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
RUN --mount=type=cache,target=/var/cache/apt \
    apt-get update && apt-get install -y curl
RUN set -e; \
    apt-get update && apt-get install -y curl; \
    echo done
