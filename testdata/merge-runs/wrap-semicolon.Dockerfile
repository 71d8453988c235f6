FROM debian:bookworm
RUN false
RUN echo a; echo b
