FROM golang:1.22-bookworm
RUN mkdir -p /data /etc/app && echo "port: 8080" > /etc/app/app.yaml && echo ok > /srv/ready
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app . && mkdir -p /usr/local/bin/plugins
VOLUME /data
CMD ["app"]
