FROM debian:bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends golang-go gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .

FROM debian:bookworm-slim AS runtime
COPY --from=build /usr/local/bin/app /usr/local/bin/app
WORKDIR /src
CMD ["app", "--listen", ":8080"]
