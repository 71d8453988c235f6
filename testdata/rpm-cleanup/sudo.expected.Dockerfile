FROM fedora:40
USER app
RUN sudo dnf install -y httpd && sudo dnf clean all
