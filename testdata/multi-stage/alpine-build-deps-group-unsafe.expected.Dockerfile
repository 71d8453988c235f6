FROM alpine:3.18 AS build
WORKDIR /src
COPY hello.c .
RUN apk add --no-cache --virtual .build-deps gcc musl-dev \
    && gcc -static -O2 -o /usr/local/bin/hello hello.c \
    && apk del .build-deps

FROM scratch AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
WORKDIR /src
CMD ["hello"]
