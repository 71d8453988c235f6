FROM fedora:40
USER app
RUN sudo dnf install -y httpd
