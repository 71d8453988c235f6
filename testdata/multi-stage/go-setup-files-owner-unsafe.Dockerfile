FROM golang:1.22-bookworm
RUN mkdir /cache && chown 1000 /cache
USER 1000
RUN touch /home/state
WORKDIR /src
COPY . .
RUN go build -o /src/app .
CMD ["/src/app"]
