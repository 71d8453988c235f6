FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app .
FROM alpine:3.19
COPY --from=build /app /app
CMD ["/app"]
