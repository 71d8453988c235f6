FROM alpine:3.18 AS build
RUN apk add --no-cache gcc make musl-dev
WORKDIR /src
COPY . .
RUN make

FROM alpine:3.18 AS runtime
COPY --from=build /src/hello /src/hello
WORKDIR /src
CMD ["/src/hello"]
