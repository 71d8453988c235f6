FROM alpine:3.18
RUN apk add --no-cache g++ make
WORKDIR /src
COPY . .
RUN g++ -O2 -o /usr/local/bin/tool main.cpp
CMD ["tool"]
