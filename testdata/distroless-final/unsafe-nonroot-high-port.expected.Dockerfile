FROM golang:1.22 AS build
RUN go build -o /app .
FROM gcr.io/distroless/cc-debian13
COPY --from=build /app /app
EXPOSE 8080
USER 65532
ENTRYPOINT ["/app"]
CMD ["--port", "8080"]
