FROM golang:1.22
WORKDIR /src
COPY . .
RUN go mod download && go mod verify || true
