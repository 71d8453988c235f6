FROM debian
RUN echo a # note \
    echo b
RUN echo a \
    && echo b # trailing note
