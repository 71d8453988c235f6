FROM debian:bookworm
RUN a

# dslim ignore=DS001
RUN b
