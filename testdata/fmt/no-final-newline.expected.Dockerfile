FROM debian
RUN echo hi
