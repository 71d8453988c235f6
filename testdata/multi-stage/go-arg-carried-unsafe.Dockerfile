ARG VERSION=dev
FROM golang:1.22
ARG VERSION
ARG COMMIT=unknown
ARG GOFLAGS=-trimpath
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -ldflags "-X main.version=$VERSION" -o /app/server .
LABEL org.opencontainers.image.version=$VERSION org.opencontainers.image.revision=${COMMIT}
ENV APP_VERSION=${VERSION:-dev}
CMD ["/app/server"]
