# RUNs after the build that only make folders, copy, move, link and chmod
# outside the build folder: the runtime copies what they made.
FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
COPY docker-entrypoint.sh /usr/local/bin/
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .
RUN mkdir -p /data /etc/app \
    && cp config/app.yaml /etc/app/app.yaml \
    && mv /src/templates /usr/share/app-templates \
    && ln -s /etc/app/app.yaml /etc/app.yaml \
    && chmod +x /usr/local/bin/docker-entrypoint.sh
VOLUME /data
CMD ["app"]
