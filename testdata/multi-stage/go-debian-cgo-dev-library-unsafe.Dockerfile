# cgo with libsqlite3-dev: the binary links libsqlite3, which the slim
# runtime lacks.
FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends golang-go gcc libc6-dev libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .
CMD ["app"]
