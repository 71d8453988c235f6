FROM debian:bookworm
RUN make
RUN echo a;
