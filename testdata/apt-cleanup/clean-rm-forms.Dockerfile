FROM debian:bookworm
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y curl && rm -fr /var/lib/apt/lists
RUN apt-get update && apt-get install -y curl && rm -r -f /var/lib/apt/lists/
RUN apt-get update && apt-get install -y curl && rm -Rf /tmp/* "/var/lib/apt/lists"/*
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt
RUN apt-get update && apt-get install -y curl; rm -rf /var/lib/apt/lists/*
