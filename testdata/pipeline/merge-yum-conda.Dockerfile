FROM centos:7
RUN yum install httpd
RUN yum install mod_ssl
RUN conda install -y numpy
