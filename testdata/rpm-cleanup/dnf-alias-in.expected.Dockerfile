FROM fedora:40
RUN dnf in -y curl && dnf clean all
