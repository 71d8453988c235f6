FROM golang:1.22-bookworm
RUN echo "deb http://deb.example.com/ bookworm main" > /etc/apt/sources.list.d/x.list \
    && apt-get update && apt-get install -y --no-install-recommends xtool
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .
CMD ["app"]
