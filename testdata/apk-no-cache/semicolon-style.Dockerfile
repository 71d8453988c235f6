FROM alpine:3.19
RUN set -eux; \
	apk update; \
	apk add --virtual .build-deps gcc; \
	gcc --version
