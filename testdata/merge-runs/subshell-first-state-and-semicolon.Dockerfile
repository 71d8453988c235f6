FROM debian:bookworm
RUN make; cd /out
RUN ls
