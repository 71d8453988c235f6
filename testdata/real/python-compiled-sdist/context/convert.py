import json
import sys

import yaml

DOC = """
name: demo
ports: [80, 443]
owner: {name: ada, admin: true}
"""

src = sys.argv[1] if len(sys.argv) > 1 else DOC
data = yaml.load(src, Loader=yaml.CSafeLoader)  # the C extension, built from source
print(json.dumps(data, sort_keys=True))
print("libyaml", yaml.__with_libyaml__)
