FROM golang:1.22
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .
RUN go vet ./... && go test ./...
RUN chmod 0755 /usr/local/bin/app && rm -rf /src/testdata
USER 65532
CMD ["app"]
