# Built against trixie's glibc: the runtime must be trixie (or newer).
FROM golang:1.25-trixie
WORKDIR /src
COPY . .
RUN go build -o /src/app .
CMD ["/src/app"]
