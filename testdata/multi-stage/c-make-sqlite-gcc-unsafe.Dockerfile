# The gcc image has libsqlite3-dev: the Makefile's -lsqlite3 means the
# runtime needs libsqlite3-0.
FROM gcc:13-bookworm
WORKDIR /src
COPY . .
RUN make PREFIX=/usr install
CMD ["kv"]
