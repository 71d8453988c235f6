FROM debian:bookworm-slim
ENTRYPOINT ["tini", "--"]
CMD python app.py
