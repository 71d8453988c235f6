FROM alpine:3.18
WORKDIR /src
COPY hello.c .
RUN apk add --no-cache --virtual .build-deps gcc musl-dev \
    && gcc -static -O2 -o /usr/local/bin/hello hello.c \
    && apk del .build-deps
CMD ["hello"]
