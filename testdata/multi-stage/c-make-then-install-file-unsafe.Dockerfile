FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make && install -m 0755 mytool /usr/local/bin/ && make clean
CMD ["mytool", "--serve"]
