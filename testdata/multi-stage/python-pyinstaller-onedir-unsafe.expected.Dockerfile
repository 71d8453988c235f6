# --onedir (the default): the program is dist/<name>/<name>, next to its
# libraries; the tag names the Debian release.
FROM python:3.12-bookworm AS build
WORKDIR /srv/tool
COPY . .
RUN pip install -r requirements.txt pyinstaller && pyinstaller --name tool --noconfirm cli.py

FROM debian:bookworm-slim AS runtime
COPY --from=build /srv/tool /srv/tool
WORKDIR /srv/tool
CMD ["./dist/tool/tool", "--help"]
