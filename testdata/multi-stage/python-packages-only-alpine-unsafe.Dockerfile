# The same on Alpine's python3: the venv goes to the builder's release.
FROM alpine:3.19
RUN apk add --no-cache python3
RUN apk add --no-cache --virtual .build gcc musl-dev python3-dev \
    && pip install --no-cache-dir wafw00f \
    && apk del .build
ENTRYPOINT ["wafw00f"]
CMD ["--help"]
