FROM golang:1.22
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/transcode ./cmd/transcode
CMD ["transcode"]
