FROM alpine:3.19 AS build
RUN apk add --no-cache gcc musl-dev sqlite-dev
WORKDIR /src
COPY . .
RUN gcc -o /usr/local/bin/db db.c -lsqlite3

FROM alpine:3.19 AS runtime
RUN apk add --no-cache sqlite-libs
COPY --from=build /usr/local/bin/db /usr/local/bin/db
WORKDIR /src
CMD ["db"]
