FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /app .
FROM r.j3ss.co/masscan
COPY --from=build /app /app
CMD ["/app"]
FROM ghcr.io/acme/tools:1
COPY --from=build /app /app
CMD ["/app"]
