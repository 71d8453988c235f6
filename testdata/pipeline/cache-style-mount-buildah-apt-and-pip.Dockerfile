FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip
RUN pip install --break-system-packages requests
