FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends golang-go
WORKDIR /src
COPY . .
ENV CGO_ENABLED=0
RUN go build -o /src/server .
ENTRYPOINT ["/src/server"]
