# A COPY into /etc is no build input: the runtime copies it from the
# context again (a binary split keeps only the binary otherwise).
FROM golang:1.22-bookworm
WORKDIR /src
COPY go.mod main.go ./
COPY --chmod=0644 config/app.yaml /etc/app/app.yaml
COPY scripts/healthcheck.sh /usr/local/bin/
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .
CMD ["app", "--config", "/etc/app/app.yaml"]
