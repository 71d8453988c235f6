FROM golang:1.22 AS build
RUN go build -o /app .
FROM python:3.12 AS tools
RUN pip install build
FROM debian:bookworm
COPY --from=build /app /app
RUN --mount=type=bind,from=tools,target=/t true
CMD ["/app"]
