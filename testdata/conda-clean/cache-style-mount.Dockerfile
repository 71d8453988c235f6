# syntax=docker/dockerfile:1
FROM continuumio/miniconda3
RUN conda install -y numpy
