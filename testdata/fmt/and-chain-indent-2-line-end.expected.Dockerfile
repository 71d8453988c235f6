FROM debian
RUN a && \
  b && \
  c
