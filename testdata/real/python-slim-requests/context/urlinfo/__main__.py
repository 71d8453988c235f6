import sys

import requests
from requests.utils import requote_uri, urlparse

for url in sys.argv[1:] or ["https://example.com/a b?q=1"]:
    p = urlparse(requote_uri(url))
    print(f"{p.scheme} {p.netloc} {p.path} {p.query} (requests {requests.__version__})")
