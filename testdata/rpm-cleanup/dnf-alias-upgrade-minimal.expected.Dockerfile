FROM fedora:40
RUN dnf upgrade-minimal -y curl && dnf clean all
