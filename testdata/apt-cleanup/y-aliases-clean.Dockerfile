FROM debian:bookworm
RUN apt-get update && apt-get install --yes curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get -qq install curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -qy curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get --assume-yes install curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get -o APT::Get::Assume-Yes=true install curl && rm -rf /var/lib/apt/lists/*
