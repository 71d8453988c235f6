FROM debian:bookworm
ARG EXTRA
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev $EXTRA
WORKDIR /src
COPY hello.c .
RUN gcc -O2 -static -o /usr/local/bin/hello hello.c
CMD ["hello"]
