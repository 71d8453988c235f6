FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends g++ libc6-dev
WORKDIR /src
COPY main.cpp .
RUN g++ -O2 -o /usr/local/bin/app main.cpp
CMD ["app"]
