# A source file copied outside the app folder and read by the compiler is
# a build input: it stays in the builder.
FROM gcc:13
COPY hello.c /src/hello.c
COPY hello.conf /etc/hello.conf
RUN gcc -static -O2 -o /usr/local/bin/hello /src/hello.c
CMD ["hello"]
