# The apt lists are removed in a RUN of their own, so the layer that
# downloaded them still carries them: the cleanup saves nothing until the
# three RUNs are one.
FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y curl
RUN rm -rf /var/lib/apt/lists/*
