FROM debian
RUN apt-get install -y \
  zlib1g \
  curl \
  bash
