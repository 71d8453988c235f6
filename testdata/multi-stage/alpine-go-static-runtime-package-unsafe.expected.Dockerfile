FROM golang:1.22-alpine3.19 AS build
RUN apk add --no-cache tzdata git
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .

FROM alpine:3.19 AS runtime
RUN apk add --no-cache tzdata
COPY --from=build /usr/local/bin/app /usr/local/bin/app
WORKDIR /src
CMD ["app"]
