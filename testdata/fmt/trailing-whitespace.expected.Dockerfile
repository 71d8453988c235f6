FROM debian
RUN echo a \
    && echo b \
    && echo c
# comment
COPY a b
WORKDIR /x
