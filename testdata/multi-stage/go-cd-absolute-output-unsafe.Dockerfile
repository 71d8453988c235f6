FROM golang:1.21
COPY . /src
# The `cd` makes the folder of a relative -o unknown; an absolute one is not.
RUN cd /src && CGO_ENABLED=0 go build -o /usr/local/bin/app .
ENTRYPOINT ["app"]
