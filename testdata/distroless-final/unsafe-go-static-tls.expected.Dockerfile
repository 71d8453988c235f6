FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /out/app .
FROM --platform=linux/amd64 gcr.io/distroless/static-debian13 AS runtime
COPY --from=build /out/app /usr/local/bin/app
USER 65532:65532
ENTRYPOINT ["app", "serve"]
# fetches https://example.com
