FROM debian:bookworm
RUN apt-get update && apt-get install -y curl
RUN apt-cache policy curl > /policy.txt
