FROM debian
WORKDIR /some \
   path
USER app \
  :app
MAINTAINER a \
    b
