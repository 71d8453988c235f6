FROM debian:bookworm
RUN apt-get update
# dslim ignore=merge-runs
RUN apt-get install -y curl
