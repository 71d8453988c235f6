FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*

# Retrieve the release (the variable is used unquoted, as real files do)
RUN app_version=1.2.3 \
    && curl -fsSL -o /tmp/app.tgz https://example.com/app-$app_version.tgz \
    && rm /tmp/app.tgz
