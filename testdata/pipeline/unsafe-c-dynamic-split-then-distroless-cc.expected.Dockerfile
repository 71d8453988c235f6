# DS201 splits a dynamic gcc build onto debian slim; DS103 then moves the
# runtime to distroless cc.
FROM debian:bookworm AS build
RUN apt-get update && apt-get install --no-install-recommends -y gcc && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY hello.c .
RUN gcc -O2 -o hello hello.c

FROM gcr.io/distroless/cc-debian13 AS runtime
COPY --from=build /src/hello /src/hello
WORKDIR /src
USER 65532
CMD ["./hello"]
