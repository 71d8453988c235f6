# debian:bookworm has no compiler either: the stage installs its own, and
# the slim variant has the same packages (only the documentation is left out).
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y gcc libc6-dev && rm -rf /var/lib/apt/lists/*
COPY hello.c /src/
RUN gcc -O2 -o /usr/local/bin/hello /src/hello.c
CMD ["hello"]
