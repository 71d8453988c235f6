FROM registry.access.redhat.com/ubi9/ubi
RUN dnf install -y python3 && exec python3 -c 'print(1)'
