FROM debian
RUN a \
    && b \
    && c

CMD ["a", "b"]
