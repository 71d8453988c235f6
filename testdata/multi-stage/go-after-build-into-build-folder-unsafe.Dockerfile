# A copy into the build folder after the build: the runtime does not get
# that folder, so the split would lose it.
FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .
RUN cp /etc/app/defaults.yaml /src/config.yaml
CMD ["app"]
