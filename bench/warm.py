#!/usr/bin/env python3
"""Wait until a server's workers answer searches from their postings.

    python3 bench/warm.py http://127.0.0.1:5055 [--timeout 300]

A worker reads a large index into memory in the background at its first
search, and SQL answers meanwhile (slowly, at 100 000 datasets).  Measuring
then would time the start-up, not the engine: this sends a faceted search on
a new connection each time (so every worker gets some) until
``--consecutive`` of them in a row take under ``--fast-ms``, and prints how
long that took.  Stdlib only.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.parse
import urllib.request


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("url")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--fast-ms", type=float, default=100)
    ap.add_argument("--consecutive", type=int, default=8)
    args = ap.parse_args()
    query = urllib.parse.urlencode({
        "q": "women", "rows": 10, "facet.limit": 50,
        "facet.field": json.dumps(["groups", "organization", "tags", "res_format"])})
    url = args.url.rstrip("/") + "/api/3/action/package_search?" + query
    start = time.monotonic()
    streak = 0
    while time.monotonic() - start < args.timeout:
        t0 = time.monotonic()
        with urllib.request.urlopen(url, timeout=60) as resp:
            resp.read()
        streak = streak + 1 if (time.monotonic() - t0) * 1000 < args.fast_ms else 0
        if streak >= args.consecutive:
            print(f"warm after {time.monotonic() - start:.1f}s")
            return 0
        if not streak:
            time.sleep(0.5)
    print(f"not warm after {args.timeout:.0f}s")
    return 1


if __name__ == "__main__":
    sys.exit(main())
