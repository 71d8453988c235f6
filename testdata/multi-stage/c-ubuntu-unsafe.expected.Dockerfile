FROM ubuntu:24.04 AS build
RUN apt-get update && apt-get install -y --no-install-recommends g++ libc6-dev
WORKDIR /src
COPY main.cpp .
RUN g++ -O2 -o /usr/local/bin/app main.cpp

FROM ubuntu:24.04 AS runtime
COPY --from=build /usr/local/bin/app /usr/local/bin/app
WORKDIR /src
CMD ["app"]
