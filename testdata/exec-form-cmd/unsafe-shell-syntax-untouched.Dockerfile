FROM debian:bookworm-slim
CMD node $APP
CMD echo "hi"
CMD a && b
CMD cd /app
CMD FOO=1 app
CMD app *.txt
CMD app > /log
CMD ["already", "json"]
CMD ./app \
    --port 80
