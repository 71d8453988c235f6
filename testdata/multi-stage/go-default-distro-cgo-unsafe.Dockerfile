# No release in the tag: the runtime follows Debian stable, as the golang
# image's default does.
FROM golang:1.25
WORKDIR /src
COPY . .
RUN go build -o /src/app .
CMD ["/src/app"]
