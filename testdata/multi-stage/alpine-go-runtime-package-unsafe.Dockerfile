FROM golang:1.21-alpine3.19
RUN apk add --no-cache ffmpeg
WORKDIR /src
COPY . .
RUN go build -o /app .
CMD ["/app"]
