FROM golang:1.9-alpine AS build
WORKDIR /go/src/app
COPY . .
RUN go install

FROM alpine:3 AS runtime
COPY --from=build /go/bin/app /usr/local/bin/app
WORKDIR /go/src/app
CMD ["app"]
