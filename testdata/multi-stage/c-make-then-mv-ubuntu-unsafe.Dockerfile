FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends gcc make
RUN mkdir /build
WORKDIR /build
COPY . .
RUN make && mv hans /usr/bin/hans
ENV NETWORK=10.1.2.0
CMD hans -f -s $NETWORK
