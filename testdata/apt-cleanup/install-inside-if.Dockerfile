FROM debian:bookworm
ARG EXTRA
RUN if [ -n "$EXTRA" ]; then apt-get update && apt-get install -y $EXTRA; fi
