FROM debian:bookworm-slim
RUN echo 99999999999999999999<x
RUN echo b
