FROM alpine:3.19
RUN apk add --no-cache gcc musl-dev sqlite-dev
WORKDIR /src
COPY . .
RUN gcc -o /usr/local/bin/db db.c -lsqlite3
CMD ["db"]
