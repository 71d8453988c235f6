FROM golang:1.21-alpine3.18
RUN apk add --no-cache git gcc musl-dev
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/server .
EXPOSE 8080
CMD ["server"]
