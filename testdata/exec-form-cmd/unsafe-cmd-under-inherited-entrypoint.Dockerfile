FROM debian:bookworm-slim AS base
ENTRYPOINT ["/entry"]
FROM base
CMD serve
