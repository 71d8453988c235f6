FROM debian:bookworm
RUN apt-get update && apt-get install -y curl
COPY run.sh /run.sh
CMD ["/run.sh"]
