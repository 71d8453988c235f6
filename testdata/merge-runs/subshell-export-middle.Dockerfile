FROM debian:bookworm
RUN make
RUN export PATH=/opt/bin:$PATH && build
RUN ls /opt/bin
