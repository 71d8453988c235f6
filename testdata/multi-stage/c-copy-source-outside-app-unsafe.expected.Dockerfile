# A source file copied outside the app folder and read by the compiler is
# a build input: it stays in the builder.
FROM gcc:13 AS build
COPY hello.c /src/hello.c
COPY hello.conf /etc/hello.conf
RUN gcc -static -O2 -o /usr/local/bin/hello /src/hello.c

FROM scratch AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
COPY hello.conf /etc/hello.conf
CMD ["hello"]
