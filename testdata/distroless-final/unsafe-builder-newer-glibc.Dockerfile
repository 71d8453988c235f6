# Built on Debian forky: its glibc is newer than the distroless image's
# Debian 13, so the binary may not start there.
FROM debian:forky AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
WORKDIR /src
COPY hello.c .
RUN gcc -O2 -o /usr/local/bin/hello hello.c

FROM debian:forky-slim
COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
CMD ["hello"]
