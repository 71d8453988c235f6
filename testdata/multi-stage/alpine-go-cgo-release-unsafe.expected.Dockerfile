FROM golang:1.21-alpine3.18 AS build
RUN apk add --no-cache git gcc musl-dev
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/server .

FROM alpine:3.18 AS runtime
COPY --from=build /usr/local/bin/server /usr/local/bin/server
WORKDIR /src
EXPOSE 8080
CMD ["server"]
