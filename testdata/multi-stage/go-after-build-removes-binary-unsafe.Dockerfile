FROM golang:1.22
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o bin/app .
RUN rm -rf bin
CMD ["/src/bin/app"]
