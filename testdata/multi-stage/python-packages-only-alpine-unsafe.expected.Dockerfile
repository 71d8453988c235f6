# The same on Alpine's python3: the venv goes to the builder's release.
FROM alpine:3.19 AS build
RUN apk add --no-cache python3
RUN python3 -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
RUN apk add --no-cache --virtual .build gcc musl-dev python3-dev \
    && pip install --no-cache-dir wafw00f \
    && apk del .build

FROM alpine:3.19 AS runtime
RUN apk add --no-cache python3
COPY --from=build /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
ENTRYPOINT ["wafw00f"]
CMD ["--help"]
