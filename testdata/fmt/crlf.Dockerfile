from debian
RUN a && \
  b && c  


CMD ["a","b"]