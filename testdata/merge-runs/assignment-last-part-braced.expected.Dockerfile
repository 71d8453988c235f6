FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
# Fetch the release
    && { app_version=1.2.3 \
    && curl -fsSL -o /tmp/app.tgz https://example.com/app-$app_version.tgz; }
