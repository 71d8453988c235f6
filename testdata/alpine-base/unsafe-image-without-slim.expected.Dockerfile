# An image the user's table gives an Alpine variant and no slim one: then
# DS102's unsafe fix applies.
FROM example/runtime:2.1-alpine
COPY app /app
CMD ["/app/run"]
