FROM debian:bookworm-slim
SHELL ["pwsh", "-Command"]
CMD app --port 80
