FROM centos:7
RUN yum install -y httpd \
    && yum install -y mod_ssl \
    && conda install -y numpy && conda clean -afy \
    && yum clean all && rm -rf /var/cache/yum
