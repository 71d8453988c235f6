FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends golang-go gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .
CMD ["app", "--listen", ":8080"]
