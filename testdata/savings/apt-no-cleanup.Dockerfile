# Update and install in separate RUNs and no cleanup: merging them makes one
# layer instead of two, but the image keeps the apt lists either way.
FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y curl
