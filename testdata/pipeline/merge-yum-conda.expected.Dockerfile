FROM centos:7
RUN yum install -y httpd && yum clean all && rm -rf /var/cache/yum \
    && yum install -y mod_ssl && yum clean all && rm -rf /var/cache/yum \
    && conda install -y numpy && conda clean -afy
