FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
WORKDIR /src
COPY hello.c .
RUN gcc -o /usr/local/bin/hello hello.c

FROM debian:bookworm-slim AS runtime
COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
WORKDIR /src
CMD exec hello --greet "$NAME"
