FROM debian
RUN set -eux; \
    \
    apk add x; \
    \
    echo done
