FROM debian
RUN a \

    && b
