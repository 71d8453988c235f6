FROM debian:bookworm
COPY --chmod=755 run.sh /
RUN apt-get update && apt-get install -y curl
