FROM debian:bookworm
RUN apt-get update
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get install -y curl
WORKDIR /app
RUN make
COPY . .
RUN make install
