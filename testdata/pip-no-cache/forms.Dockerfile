FROM python:3.12
RUN pip3 install a && pip3.12 install b && python -m pip install c && python3 -m pip install --upgrade pip && /usr/local/bin/pip wheel d
