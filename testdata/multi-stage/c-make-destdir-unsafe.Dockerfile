FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gcc make libc6-dev
WORKDIR /src
COPY . .
RUN make && make install DESTDIR=/out
CMD ["/out/usr/local/bin/app"]
