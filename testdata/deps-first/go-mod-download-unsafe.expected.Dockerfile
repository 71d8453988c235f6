FROM golang:1.22
WORKDIR /src
COPY go.* ./
RUN go mod download
COPY . .
RUN go build -o /out/app .
