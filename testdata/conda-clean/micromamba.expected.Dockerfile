FROM mambaorg/micromamba:1.5
RUN micromamba install -y -n base -f /tmp/env.yaml && micromamba clean --all --yes
