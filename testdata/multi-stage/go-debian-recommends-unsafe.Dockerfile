# Without --no-install-recommends, apt may bring a CA bundle (curl, git and
# openssl recommend ca-certificates): dslim cannot tell whether to copy it.
FROM debian:bookworm
RUN apt-get update && apt-get install -y golang-go git
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /src/server .
CMD ["/src/server"]
