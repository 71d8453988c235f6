FROM debian:bookworm
ONBUILD RUN apt-get install --no-install-recommends -y curl
