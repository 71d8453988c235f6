FROM golang:1.22
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o /app/server .

EXPOSE 8080

CMD ["/app/server"]
