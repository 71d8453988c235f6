# syntax=docker/dockerfile:1
FROM continuumio/miniconda3
RUN <<EOF
conda install -y numpy
EOF
