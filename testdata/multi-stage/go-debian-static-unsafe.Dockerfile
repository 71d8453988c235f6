# Go from Debian's own package: no golang image needed.
FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends golang-go ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -trimpath -o /usr/local/bin/hello .
USER 65534
EXPOSE 8080
CMD ["hello"]
