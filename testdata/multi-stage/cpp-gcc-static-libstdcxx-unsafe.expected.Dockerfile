# -static-libstdc++: the gcc image's libstdc++ is inside the binary.
FROM gcc:13 AS build
WORKDIR /src
COPY main.cpp .
RUN g++ -O2 -static-libstdc++ -static-libgcc -o /usr/local/bin/app main.cpp

FROM debian:stable-slim AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /usr/local/bin/app /usr/local/bin/app
WORKDIR /src
CMD ["app"]
