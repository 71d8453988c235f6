FROM python:3.12
RUN pip3 install --no-cache-dir a && pip3.12 install --no-cache-dir b && python -m pip install --no-cache-dir c && python3 -m pip install --no-cache-dir --upgrade pip && /usr/local/bin/pip wheel --no-cache-dir d
