# check=skip=JSONArgsRecommended
FROM debian:bookworm-slim
CMD ./app
