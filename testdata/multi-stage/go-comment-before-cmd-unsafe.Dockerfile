FROM golang:1.22
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o /app/server .

# The API listens here
EXPOSE 8080
# Start the server
# (no flags)
CMD ["/app/server"]
