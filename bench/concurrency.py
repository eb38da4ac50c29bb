#!/usr/bin/env python3
"""Throughput of package_search under concurrent clients.

    python3 bench/concurrency.py http://127.0.0.1:5056 [--clients 8] [--seconds 60]

Each client (a thread with its own keep-alive connection) sends the query mix
of ``../shared/bench/search_bench.py`` (same seed, so the same queries) in its
own shuffled order until the time is up.  Prints requests/s, p50/p95/max
latency and the errors (non-200 answers, ``success: false``, socket errors);
``--json-out`` keeps the figures.  Stdlib only; the GIL is released while a
client waits for the server, so threads are enough to keep 8 requests in flight.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import sys
import threading
import time
import urllib.parse

SHARED = os.environ.get("SHARED_BENCH",
                        os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench"))


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def client(base: urllib.parse.SplitResult, mix: list[dict], seed: int, deadline: float,
           latencies: list[float], errors: list[str]) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(base.netloc, timeout=60)
    while time.perf_counter() < deadline:
        order = mix[:]
        rng.shuffle(order)
        for query in order:
            if time.perf_counter() >= deadline:
                break
            path = base.path.rstrip("/") + "/api/3/action/package_search?" + \
                urllib.parse.urlencode(query["params"])
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - start
                if response.status != 200 or not json.loads(body).get("success"):
                    errors.append(f"{query['id']}: HTTP {response.status}")
                else:
                    latencies.append(elapsed)
            except (OSError, http.client.HTTPException, ValueError) as e:
                errors.append(f"{query['id']}: {e!r}")
                conn.close()
                conn = http.client.HTTPConnection(base.netloc, timeout=60)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("base_url")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--json-out")
    args = ap.parse_args()

    sys.path.insert(0, SHARED)
    from search_bench import build_mix  # type: ignore

    mix = build_mix(args.seed, 3)
    base = urllib.parse.urlsplit(args.base_url)
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + args.seconds
    threads = [threading.Thread(target=client, daemon=True,
                                args=(base, mix, args.seed + i, deadline, latencies, errors))
               for i in range(args.clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    ms = [x * 1000 for x in latencies]
    result = {"clients": args.clients, "seconds": round(elapsed, 1),
              "requests": len(ms), "errors": len(errors),
              "requests_per_s": round(len(ms) / elapsed, 1),
              "p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
              "max_ms": round(max(ms, default=float("nan")), 1)}
    print(f"{args.clients} clients, {elapsed:.0f}s: {result['requests']} requests, "
          f"{result['requests_per_s']} requests/s, p50 {result['p50_ms']} ms, "
          f"p95 {result['p95_ms']} ms, max {result['max_ms']} ms, errors {len(errors)}")
    for e in errors[:5]:
        print("  error:", e)
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(result, f, indent=1)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
