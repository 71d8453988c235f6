FROM debian:bookworm AS build
RUN echo hi
COPY a b
ENV A=1
WORKDIR /app
ONBUILD RUN make
FROM scratch AS final
COPY --from=build /app /app
CMD ["/app"]
