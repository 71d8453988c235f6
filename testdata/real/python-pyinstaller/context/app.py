"""Word report: a tiny CLI frozen with PyInstaller."""
import hashlib
import json
import sys
import tempfile
import zlib

from tabulate import tabulate

words = sys.argv[1:] or ["ada", "grace", "linus"]
rows = [(w, len(w), zlib.crc32(w.encode())) for w in words]
print(tabulate(rows, headers=["word", "len", "crc32"]))
print(json.dumps({"sha256": hashlib.sha256(" ".join(words).encode()).hexdigest()}))
print("frozen:", getattr(sys, "frozen", False), "tmp ok:", bool(tempfile.gettempdir()))
