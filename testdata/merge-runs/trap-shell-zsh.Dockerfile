FROM debian:bookworm
SHELL ["/bin/zsh", "-c"]
RUN echo one
RUN echo two
