FROM fedora:40
RUN dnf install --assumeyes httpd && dnf5 install -y x && dnf clean all && dnf5 clean all
