FROM golang:1.21
COPY . /src
RUN cd /src && CGO_ENABLED=0 go build -o bin/app .
ENTRYPOINT ["/src/bin/app"]
