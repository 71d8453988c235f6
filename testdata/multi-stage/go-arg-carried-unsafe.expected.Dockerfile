ARG VERSION=dev
FROM golang:1.22 AS build
ARG VERSION
ARG COMMIT=unknown
ARG GOFLAGS=-trimpath
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -ldflags "-X main.version=$VERSION" -o /app/server .
LABEL org.opencontainers.image.version=$VERSION org.opencontainers.image.revision=${COMMIT}
ENV APP_VERSION=${VERSION:-dev}

FROM scratch AS runtime
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /app/server /app/server
ARG VERSION
ARG COMMIT=unknown
WORKDIR /app
LABEL org.opencontainers.image.version=$VERSION org.opencontainers.image.revision=${COMMIT}
ENV APP_VERSION=${VERSION:-dev}
CMD ["/app/server"]
