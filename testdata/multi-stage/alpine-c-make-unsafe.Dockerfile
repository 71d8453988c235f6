FROM alpine:3.18
RUN apk add --no-cache gcc make musl-dev
WORKDIR /src
COPY . .
RUN make
CMD ["/src/hello"]
