# DS201 splits a dynamic gcc build onto debian slim; DS103 then moves the
# runtime to distroless cc.
FROM debian:bookworm
RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY hello.c .
RUN gcc -O2 -o hello hello.c
CMD ["./hello"]
