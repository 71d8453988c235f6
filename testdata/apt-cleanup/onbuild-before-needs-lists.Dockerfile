FROM debian:bookworm
ONBUILD RUN apt-get install -y git
RUN apt-get update && apt-get install -y curl
