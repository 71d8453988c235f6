FROM debian:bookworm-slim
RUN apt-get update && echo updated
USER nobody
