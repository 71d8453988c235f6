FROM golang:1.22
WORKDIR /app
COPY . .
RUN go build -o /app/server .
RUN apt-get update && apt-get install -y imagemagick
CMD ["/app/server"]
