# A Go server built with Debian's golang-go, in one stage: DS001 merges the
# apt RUNs, DS002 cleans the lists, DS003 drops recommended packages (then
# no CA bundle can come along unasked), DS201 splits onto scratch with the
# bundle ca-certificates installs.
FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y golang-go ca-certificates
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -o /usr/local/bin/hello .
EXPOSE 8080
CMD ["hello"]
