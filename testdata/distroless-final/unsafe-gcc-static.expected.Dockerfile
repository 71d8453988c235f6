FROM gcc:13 AS build
COPY hello.c .
RUN gcc -static -O2 -o /hello hello.c
FROM scratch
COPY --from=build /hello /hello
CMD ["/hello"]
