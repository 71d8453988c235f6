FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends golang-go
WORKDIR /src
COPY . .
ENV CGO_ENABLED=0
RUN go build -o /src/server .

FROM scratch AS runtime
COPY --from=build /src/server /src/server
WORKDIR /src
ENV CGO_ENABLED=0
ENTRYPOINT ["/src/server"]
