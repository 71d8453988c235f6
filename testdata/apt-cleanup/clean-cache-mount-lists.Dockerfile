FROM debian:bookworm
RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl
RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl
RUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y curl
