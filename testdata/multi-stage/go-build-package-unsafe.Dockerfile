FROM golang:1.24-trixie
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -trimpath ./cmd/api
CMD ["./api"]
