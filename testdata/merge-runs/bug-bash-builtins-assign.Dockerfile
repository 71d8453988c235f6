FROM debian:bookworm
SHELL ["/bin/bash", "-c"]
RUN let JOBS=4
RUN printf -v TAG '%s' v1
RUN mapfile -t HOSTS < /etc/hosts
RUN echo "$JOBS $TAG ${HOSTS[0]}"
