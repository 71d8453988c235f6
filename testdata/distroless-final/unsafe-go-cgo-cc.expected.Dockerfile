FROM golang:1.22 AS build
RUN go build -o /app .
FROM gcr.io/distroless/cc-debian13
COPY --from=build /app /app
USER 65532
CMD ["/app"]
