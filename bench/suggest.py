#!/usr/bin/env python3
"""p50/p95 of ``learning_suggest`` over HTTP against a running portal.

    python3 bench/suggest.py http://127.0.0.1:5031 [-n 2000] [--seed 1]

Prefixes are 2-6 characters of the words the synthetic corpus is made of
(``../shared/bench/gen_corpus.py``: English topic words and the themes'
Khmer words), half in each script, as typed: the first request of each
word after two characters, then one more character at a time.  One
keep-alive connection, requests one after another (what one person typing
costs); the first 50 requests warm the workers and are not counted.
Prints the figures as JSON.  Stdlib only.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench"))
from gen_corpus import THEMES  # noqa: E402


def prefixes(rng: random.Random, n: int) -> list[str]:
    english = sorted({w for t in THEMES.values() for p in t["topics"] for w in p.split()
                      if len(w) >= 4})
    khmer = sorted({w for t in THEMES.values() for w in t["km"]})
    out: list[str] = []
    while len(out) < n:
        if rng.random() < 0.5:
            word = rng.choice(english)
            out.extend(word[:k] for k in range(2, min(6, len(word)) + 1))
        else:
            word = rng.choice(khmer)
            # as typed: 2 characters first, then growing to 6 characters
            out.extend(word[:k] for k in range(2, min(6, len(word)) + 1))
    return out[:n]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--path", default="/api/3/action/learning_suggest",
                        help="another path that answers as the action API does")
    args = parser.parse_args()
    url = urllib.parse.urlsplit(args.base)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=30)
    qs = prefixes(random.Random(args.seed), args.n + 50)
    times, empty, sizes = [], 0, []
    for i, q in enumerate(qs):
        path = args.path + "?" + urllib.parse.urlencode(
            {"q": q, "limit": 8, "lang": "km" if any("\u1780" <= c <= "\u17ff" for c in q)
             else "en"})
        start = time.perf_counter()
        conn.request("GET", path, headers={"Accept": "application/json"})
        res = conn.getresponse()
        body = res.read()
        elapsed = (time.perf_counter() - start) * 1000
        if res.status != 200:
            raise SystemExit(f"{q!r}: HTTP {res.status} {body[:200]!r}")
        if i < 50:
            continue
        times.append(elapsed)
        n = len(json.loads(body)["result"])
        sizes.append(n)
        empty += n == 0
    times.sort()
    print(json.dumps({
        "requests": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(0.95 * len(times)) - 1], 2),
        "p99_ms": round(times[int(0.99 * len(times)) - 1], 2),
        "max_ms": round(times[-1], 2),
        "mean_suggestions": round(statistics.mean(sizes), 2),
        "empty_answers": empty,
    }, indent=2))


if __name__ == "__main__":
    main()
