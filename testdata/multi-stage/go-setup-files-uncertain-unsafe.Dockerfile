FROM golang:1.22-bookworm
ARG CONF_DIR=/etc/app
RUN mkdir -p "$CONF_DIR" && useradd --system app
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .
USER 1000
CMD ["app"]
