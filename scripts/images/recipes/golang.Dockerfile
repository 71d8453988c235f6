# golang:<v>: Debian's Go on a debian image, laid out as the official image
# (GOPATH=/go, /usr/local/go, GOTOOLCHAIN=local, WORKDIR /go). GO_PACKAGE
# names the Debian package; BACKPORTS=1 takes it from <release>-backports
# (the source is removed again afterwards).
ARG BASE
FROM $BASE
ARG GO_PACKAGE=golang-go
ARG BACKPORTS=0
RUN set -eu; \
    if [ "$BACKPORTS" = 1 ]; then \
      . /etc/os-release; \
      uri=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources); \
      printf 'Types: deb\nURIs: %s\nSuites: %s-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$uri" "$VERSION_CODENAME" > /etc/apt/sources.list.d/backports.sources; \
    fi; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      "$GO_PACKAGE" gcc g++ libc6-dev make pkg-config git ca-certificates curl netbase; \
    rm -f /etc/apt/sources.list.d/backports.sources; rm -rf /var/lib/apt/lists/*; \
    goroot=$(ls -d /usr/lib/go-1.* | sort -V | tail -n1); \
    ln -s "$goroot" /usr/local/go; \
    [ -e /usr/bin/go ] || ln -s "$goroot/bin/go" /usr/bin/go; \
    /usr/local/go/bin/go version; \
    mkdir -p /go/src /go/bin; chmod -R 1777 /go
ENV GOTOOLCHAIN=local GOPATH=/go
ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /go
