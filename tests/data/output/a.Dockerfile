FROM debian:12
# Tools
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl

FROM scratch
COPY --from=0 /usr/bin/curl /curl
