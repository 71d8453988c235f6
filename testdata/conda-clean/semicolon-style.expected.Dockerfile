FROM continuumio/miniconda3
RUN set -eux; \
	conda install -y numpy; \
	python -c 'import numpy'; \
	conda clean -afy
