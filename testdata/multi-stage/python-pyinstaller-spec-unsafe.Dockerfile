# A spec file names the output: dslim does not read it.
FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install pyinstaller && pyinstaller app.spec
ENTRYPOINT ["/app/dist/app"]
