FROM debian:bookworm
ENV PKG=curl
RUN for PKG in git make; do echo "$PKG"; done
RUN apt-get install -y "$PKG"
