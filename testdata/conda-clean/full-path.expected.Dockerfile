FROM ubuntu:22.04
RUN /opt/conda/bin/conda install -y numpy && /opt/conda/bin/conda clean -afy
