# syntax=docker/dockerfile:1
FROM ubuntu:22.04
RUN conda install -y numpy && conda clean -afy
