# --onedir (the default): the program is dist/<name>/<name>, next to its
# libraries; the tag names the Debian release.
FROM python:3.12-bookworm
WORKDIR /srv/tool
COPY . .
RUN pip install -r requirements.txt pyinstaller && pyinstaller --name tool --noconfirm cli.py
CMD ["./dist/tool/tool", "--help"]
