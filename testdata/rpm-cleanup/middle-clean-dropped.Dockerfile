FROM fedora:40
RUN dnf -y update \
    && dnf clean all \
    && dnf -y install httpd \
    && dnf clean all
