# `make install` into the Makefile's PREFIX; the CMD runs it by name.
FROM gcc:13 AS build
COPY . /usr/src/calc
WORKDIR /usr/src/calc
RUN make && make install

FROM debian:stable-slim AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/local/bin/calc /usr/local/bin/calc
WORKDIR /usr/src/calc
ENTRYPOINT ["calc"]
