FROM ubuntu:24.04 AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc make
RUN mkdir /build
WORKDIR /build
COPY . .
RUN make && mv hans /usr/bin/hans
ENV NETWORK=10.1.2.0

FROM ubuntu:24.04 AS runtime
COPY --from=build /usr/bin/hans /usr/bin/hans
WORKDIR /build
ENV NETWORK=10.1.2.0
CMD hans -f -s $NETWORK
