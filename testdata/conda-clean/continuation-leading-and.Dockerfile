FROM continuumio/miniconda3
RUN conda config --add channels conda-forge \
    && conda install -y numpy
