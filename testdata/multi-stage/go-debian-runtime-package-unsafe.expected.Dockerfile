# imagemagick is something the program runs, not a build tool: the runtime
# installs it too, so the static binary goes onto bookworm-slim, not scratch.
FROM debian:bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends golang-go ca-certificates imagemagick \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/thumbs .

FROM debian:bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends imagemagick && rm -rf /var/lib/apt/lists/*
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/local/bin/thumbs /usr/local/bin/thumbs
WORKDIR /src
CMD ["thumbs"]
