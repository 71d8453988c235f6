FROM fedora:40
RUN dnf install --assumeyes httpd && dnf5 install x
