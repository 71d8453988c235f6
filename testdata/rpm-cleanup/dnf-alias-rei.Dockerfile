FROM fedora:40
RUN dnf rei -y curl
