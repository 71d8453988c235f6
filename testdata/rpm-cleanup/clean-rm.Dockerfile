FROM fedora:40
RUN dnf install -y httpd && rm -rf /var/cache/dnf
