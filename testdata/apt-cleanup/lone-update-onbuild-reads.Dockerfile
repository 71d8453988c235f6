FROM debian:bookworm-slim
RUN apt-get update
ONBUILD RUN apt-get install -y curl
