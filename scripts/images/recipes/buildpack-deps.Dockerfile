# buildpack-deps:<release>: the base of the official full python, node, rust
# and gcc images (curl + scm + the usual -dev libraries), from Debian packages
# as the official one is, less imagemagick, mercurial, subversion and the
# MySQL client headers (hundreds of MB few builds use; see README › Development).
ARG BASE
FROM $BASE
RUN set -eu; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates curl gnupg netbase wget \
      git openssh-client procps \
      autoconf automake bzip2 dpkg-dev file g++ gcc libbz2-dev libc6-dev \
      libcurl4-openssl-dev libdb-dev libevent-dev libffi-dev libgdbm-dev \
      libglib2.0-dev libgmp-dev libjpeg-dev libkrb5-dev liblzma-dev \
      libncurses-dev libpng-dev libpq-dev libreadline-dev libsqlite3-dev \
      libssl-dev libtool libwebp-dev libxml2-dev libxslt1-dev libyaml-dev \
      make patch unzip xz-utils zlib1g-dev; \
    rm -rf /var/lib/apt/lists/*
