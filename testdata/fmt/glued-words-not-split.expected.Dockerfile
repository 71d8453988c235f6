FROM debian
RUN apt-get install -y cu\
rl
RUN echo foo \
    bar
COPY a\
b /c
