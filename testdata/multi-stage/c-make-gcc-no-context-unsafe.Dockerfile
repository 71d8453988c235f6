# Without the Makefile, what a make build links on the gcc image is unknown.
FROM gcc:13
WORKDIR /src
COPY . .
RUN make
CMD ["./app"]
