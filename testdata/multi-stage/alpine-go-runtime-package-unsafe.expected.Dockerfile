FROM golang:1.21-alpine3.19 AS build
RUN apk add --no-cache ffmpeg
WORKDIR /src
COPY . .
RUN go build -o /app .

FROM alpine:3.19 AS runtime
RUN apk add --no-cache ffmpeg
COPY --from=build /app /app
WORKDIR /src
CMD ["/app"]
