# python:<v>[-slim]: Debian's python3 (pip, venv) laid out as the official
# image: python, python3, pip, pip3 and the versioned names in /usr/local/bin,
# `pip install` system-wide as root (no EXTERNALLY-MANAGED marker; packages
# land in /usr/local/lib/python3.X/dist-packages), LANG=C.UTF-8, CMD python3.
# BASE is buildpack-deps:<release> for the full image (compilers and headers,
# DEV=1 adds python3-dev) or debian:<release>-slim for -slim.
ARG BASE
FROM $BASE
ARG DEV=0
RUN set -eu; \
    apt-get update; \
    pkgs="python3 python3-pip python3-venv ca-certificates netbase tzdata"; \
    if [ "$DEV" = 1 ]; then pkgs="$pkgs python3-dev"; fi; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs; \
    rm -rf /var/lib/apt/lists/*; \
    rm -f /usr/lib/python3*/EXTERNALLY-MANAGED; \
    v=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
    for n in python python3 "python$v"; do ln -s /usr/bin/python3 "/usr/local/bin/$n"; done; \
    for n in pip pip3 "pip$v"; do ln -s /usr/bin/pip3 "/usr/local/bin/$n"; done; \
    if [ "$DEV" = 1 ]; then for n in python-config python3-config; do ln -s /usr/bin/python3-config "/usr/local/bin/$n"; done; fi; \
    python --version; pip --version
ENV LANG=C.UTF-8
CMD ["python3"]
