FROM debian:bookworm
ENV PKG=curl
RUN (for PKG in git make; do echo "$PKG"; done) \
    && apt-get install -y "$PKG"
