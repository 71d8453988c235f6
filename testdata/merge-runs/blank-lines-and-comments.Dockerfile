FROM debian:bookworm
RUN apt-get update

# the tools
RUN apt-get install -y curl
# cleanup

RUN rm -rf /var/lib/apt/lists/*
COPY . /app
RUN make -C /app

RUN make -C /app install
