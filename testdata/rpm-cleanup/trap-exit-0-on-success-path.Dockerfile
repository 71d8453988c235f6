FROM registry.access.redhat.com/ubi9/ubi
RUN dnf install -y mariadb-server && if [ -x /usr/bin/mysqld ]; then exit 0; fi
