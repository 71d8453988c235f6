FROM golang:1.22-alpine3.19
RUN apk add --no-cache tzdata git
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .
CMD ["app"]
