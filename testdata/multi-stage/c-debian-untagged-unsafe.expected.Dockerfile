FROM debian AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
WORKDIR /src
COPY hello.c .
RUN gcc -O2 -o /usr/local/bin/hello hello.c

FROM debian:stable-slim AS runtime
COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
WORKDIR /src
CMD ["hello"]
