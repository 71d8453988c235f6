FROM debian
RUN a \
    && b \
    && c
COPY a b
