FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev netcat-openbsd
WORKDIR /src
COPY hello.c .
RUN nc -z db 5432 || true; gcc -o /usr/local/bin/hello hello.c
RUN apt-get purge -y netcat-openbsd && rm -rf /var/lib/apt/lists/*

FROM debian:bookworm-slim AS runtime
COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
WORKDIR /src
CMD ["hello"]
