FROM centos:7
RUN yum -y update && yum clean all && \
# the tools
    yum -y install tar && yum clean all && rm -rf /var/cache/yum
