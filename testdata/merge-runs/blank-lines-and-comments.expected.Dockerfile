FROM debian:bookworm
RUN apt-get update \
# the tools
    && apt-get install -y curl \
# cleanup
    && rm -rf /var/lib/apt/lists/*
COPY . /app
RUN make -C /app \
    && make -C /app install
