FROM fedora:40
RUN dnf -y update \
    && dnf -y install httpd \
    && dnf clean all
