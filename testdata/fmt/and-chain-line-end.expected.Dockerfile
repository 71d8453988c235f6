FROM debian
RUN apt-get update && \
    apt-get install -y curl && \
    rm -rf /var/lib/apt/lists/*
RUN a && \
    b && \
    c && \
    d
RUN a && \
    b
