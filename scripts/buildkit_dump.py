#!/usr/bin/env python3
"""Dump BuildKit's view of Dockerfiles as JSON lines (the conformance oracle).

Usage: buildkit_dump.py FILE...

Needs the PyPI package `dockerfile` (==3.4.0: BuildKit v0.12.5's Go parser
wrapped for Python); scripts/conformance installs it into a venv under
target/.  For each FILE prints exactly one line, flushed immediately:

  {"path": FILE, "ok": true, "instructions": [
      {"cmd": "RUN", "sub_cmd": null, "json": false, "start_line": 2,
       "end_line": 4, "flags": ["--mount=..."], "value": ["<<EOF"],
       "heredocs": [{"name": "EOF", "content": "echo hi\\n"}]}, ...]}
  {"path": FILE, "ok": false, "error": "..."}

`cmd` and `sub_cmd` are as written (case preserved).  Errors from the Go
parser are reported with their message as-is (e.g. "file with no
instructions"); any other failure is prefixed with its Python exception
name, e.g. "UnicodeDecodeError: ..." when BuildKit accepted the bytes but
they are not valid UTF-8 so the result cannot be represented.

Files are handed to the parser by path (parse_file): parse_string on a str
holding lone surrogates crashes the extension, so no decoding happens here.
`dslim debug parse` prints this same schema.
"""
import json
import sys

import dockerfile


def dump(path):
    try:
        cmds = dockerfile.parse_file(path)
    except dockerfile.GoParseError as e:
        return {"path": path, "ok": False, "error": str(e)}
    except Exception as e:  # GoIOError, UnicodeDecodeError, ...
        return {"path": path, "ok": False, "error": f"{type(e).__name__}: {e}"}
    return {
        "path": path,
        "ok": True,
        "instructions": [
            {
                "cmd": c.cmd,
                "sub_cmd": c.sub_cmd,
                "json": bool(c.json),
                "start_line": c.start_line,
                "end_line": c.end_line,
                "flags": list(c.flags),
                "value": list(c.value),
                "heredocs": [{"name": h.name, "content": h.content} for h in c.heredocs],
            }
            for c in cmds
        ],
    }


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr if not argv else sys.stdout)
        return 0 if argv else 2
    out = sys.stdout
    for path in argv:
        line = json.dumps(dump(path), ensure_ascii=False)
        # Paths given as non-UTF-8 bytes arrive as surrogate escapes.
        out.buffer.write(line.encode("utf-8", "surrogateescape") + b"\n")
        out.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
