# Built on Alpine and linked dynamically: the binary needs musl, which no
# distroless image has.
FROM alpine:3.19 AS build
RUN apk add --no-cache gcc musl-dev
COPY hello.c .
RUN gcc -O2 -o /hello hello.c
FROM alpine:3.19
COPY --from=build /hello /hello
CMD ["/hello"]
FROM golang:1.22-alpine AS gobuild
RUN apk add --no-cache gcc musl-dev
RUN go build -o /app .
FROM alpine:3.19
COPY --from=gobuild /app /app
CMD ["/app"]
