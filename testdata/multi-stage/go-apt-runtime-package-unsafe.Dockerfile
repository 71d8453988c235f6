FROM golang:1.22-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends git ffmpeg && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/transcode ./cmd/transcode
CMD ["transcode"]
