# `ENV CGO_ENABLED=0`, but the build turns cgo back on: a glibc binary, so
# `cc`, not `static`.
FROM golang:1.22-bookworm AS build
ENV CGO_ENABLED=0
WORKDIR /src
COPY . .
RUN CGO_ENABLED=1 go build -o /src/app .
FROM gcr.io/distroless/cc-debian13
COPY --from=build /src/app /usr/local/bin/app
USER 65532
CMD ["app"]
