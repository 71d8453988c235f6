FROM golang:1.22 AS build
ENV CGO_ENABLED=0
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM debian:bookworm-slim
COPY --from=build /out/app /app
CMD /app --port 8080
