# What `apk del` takes away again (a package, a --virtual group) is not
# installed in the runtime.
FROM golang:1.22-alpine3.19 AS build
RUN apk add --no-cache tzdata
RUN apk add --no-cache --virtual .fetch ffmpeg
WORKDIR /src
COPY . .
RUN ffmpeg -version && go build -o /usr/local/bin/app . && apk del .fetch

FROM alpine:3.19 AS runtime
RUN apk add --no-cache tzdata
COPY --from=build /usr/local/bin/app /usr/local/bin/app
WORKDIR /src
CMD ["app"]
