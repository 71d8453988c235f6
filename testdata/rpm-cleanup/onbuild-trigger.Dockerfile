FROM fedora:40
ONBUILD RUN dnf install httpd
RUN echo base
