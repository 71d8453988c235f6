FROM fedora:40
RUN dnf clean all && dnf -y install httpd && dnf clean all
