FROM ubuntu:25.10 AS build
RUN apt-get update && apt-get install -y --no-install-recommends g++
WORKDIR /src
COPY main.cpp .
RUN g++ -O2 -o /app main.cpp

FROM ubuntu:25.10
COPY --from=build /app /app
ENTRYPOINT ["/app"]
