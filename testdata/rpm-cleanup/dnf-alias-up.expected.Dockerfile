FROM fedora:40
RUN dnf up -y curl && dnf clean all
