FROM centos:centos7
RUN { yum -y update; yum clean all; } \
    && yum -y install httpd && yum clean all
