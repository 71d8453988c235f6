FROM debian:bookworm
RUN echo a
RUN if then fi
RUN echo b
