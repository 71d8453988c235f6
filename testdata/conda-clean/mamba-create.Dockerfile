FROM condaforge/miniforge3
RUN mamba create -y -n app python=3.12 && mamba env update -n app -f env.yml
