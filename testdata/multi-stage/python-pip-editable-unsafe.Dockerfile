FROM python:3.11
WORKDIR /src
COPY . .
RUN pip install -e .
ENTRYPOINT ["mytool"]
