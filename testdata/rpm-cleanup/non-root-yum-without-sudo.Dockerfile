FROM centos:7
USER app
RUN yum install -y httpd
