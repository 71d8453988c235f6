FROM debian:bookworm
RUN aptitude update && aptitude install -y curl
