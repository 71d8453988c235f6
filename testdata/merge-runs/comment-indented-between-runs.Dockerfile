FROM debian:bookworm
RUN apt-get update
    # curl is needed by the healthcheck
    # and by the entrypoint script
RUN apt-get install -y curl
