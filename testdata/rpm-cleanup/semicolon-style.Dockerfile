FROM fedora:40
RUN set -eux; \
	dnf install -y gcc; \
	gcc --version
