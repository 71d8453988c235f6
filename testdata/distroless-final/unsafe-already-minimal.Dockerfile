FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /app .
FROM gcr.io/distroless/static-debian12
COPY --from=build /app /app
CMD ["/app"]
FROM scratch
COPY --from=build /app /app
CMD ["/app"]
