#!/bin/sh
# The node image's entry point: `docker run node:20 --version` or
# `docker run node:20 app.js` runs node; a command (npm start, sh) runs as it is.
set -e
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1" || true)" ] || { [ -f "$1" ] && ! [ -x "$1" ]; }; then
  set -- node "$@"
fi
exec "$@"
