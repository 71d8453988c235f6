FROM debian:bookworm
RUN cd /app && make
RUN ls
