FROM fedora:40
RUN dnf up-min -y curl && dnf clean all
