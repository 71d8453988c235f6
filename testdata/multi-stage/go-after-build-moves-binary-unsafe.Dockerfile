# A RUN after the build moves the binary: the runtime copies it from where
# the build wrote it, where it no longer is.
FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /src/app .
RUN mv /src/app /usr/local/bin/app
CMD ["app"]
