# imagemagick is something the program runs, not a build tool: the runtime
# installs it too, so the static binary goes onto bookworm-slim, not scratch.
FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends golang-go ca-certificates imagemagick \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/thumbs .
CMD ["thumbs"]
