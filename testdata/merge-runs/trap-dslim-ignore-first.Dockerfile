FROM debian:bookworm
# dslim ignore=DS001
RUN apt-get update
RUN apt-get install -y curl
