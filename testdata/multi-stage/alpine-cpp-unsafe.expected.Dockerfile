FROM alpine:3.18 AS build
RUN apk add --no-cache g++ make
WORKDIR /src
COPY . .
RUN g++ -O2 -o /usr/local/bin/tool main.cpp

FROM alpine:3.18 AS runtime
RUN apk add --no-cache libstdc++
COPY --from=build /usr/local/bin/tool /usr/local/bin/tool
WORKDIR /src
CMD ["tool"]
