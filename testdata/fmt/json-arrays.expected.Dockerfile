FROM debian
CMD ["nginx", "-g", "daemon off;"]
ENTRYPOINT ["/bin/sh", "-c"]
RUN ["a\\b", "\u0041", "q\"uote", "\/"]
COPY ["a b", "/dst/"]
VOLUME ["/data"]
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
CMD []
CMD ["not", json]
CMD ["a",
