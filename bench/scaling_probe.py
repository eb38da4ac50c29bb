#!/usr/bin/env python3
"""One worker's view of a large index: postings load time, memory, and each
query class's latency, in one process (no HTTP, no other worker).

    .venv/bin/python bench/scaling_probe.py INI [--reps 20] [--json-out F]

Builds the app as a web worker does, then reads the whole index into the
in-memory postings on the spot (``Postings.load``, what a worker does in the
background at its first search) and times it; reports the process's RSS and
peak RSS (``VmRSS``/``VmHWM``) before and after.  Then sends the query mix of
``../shared/bench/search_bench.py`` (same seed as ``concurrency.py``; plus
``--extra-queries``) ``--reps`` times through CKAN's ``package_search`` (Flask's test client on
``/api/3/action/package_search``: the whole action, without a socket) and
times, for the same calls, the search engine alone
(``PostgresConnection.search``: query parsing, postings, the page's
documents).  Last, it loads the postings again while the first ones are in
use, as a worker's reload does, and reports the peak RSS after that.
Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

SHARED = os.environ.get("SHARED_BENCH",
                        os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench"))


def memory_mb() -> dict[str, float]:
    with open("/proc/self/status", encoding="ascii") as f:
        fields = dict(line.split(":", 1) for line in f)
    return {k: round(int(fields[k].split()[0]) / 1024, 1) for k in ("VmRSS", "VmHWM")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ini")
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--json-out")
    ap.add_argument("--extra-queries", help="a JSON list of queries in build_mix's form, "
                    "added to the mix (bench/document_text.py writes one)")
    args = ap.parse_args()
    extra = []
    if args.extra_queries:
        with open(args.extra_queries, encoding="utf-8") as f:
            extra = json.load(f)

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    from ckanext.learning.search.backend import postgres
    from ckanext.learning.search.backend.postings import postings

    app = make_app(load_config(args.ini))._wsgi_app
    result: dict = {"app_mb": memory_mb()}
    began = time.perf_counter()
    with app.app_context():
        postings().load()
    result["load_s"] = round(time.perf_counter() - began, 1)
    result["loaded_mb"] = memory_mb()
    result["datasets"] = len(postings().live)
    result["terms"] = len(postings().terms)

    engine_ms: list[float] = []
    search = postgres.PostgresConnection.search

    def timed(self, *a, **kw):
        start = time.perf_counter()
        try:
            return search(self, *a, **kw)
        finally:
            engine_ms.append((time.perf_counter() - start) * 1000)

    postgres.PostgresConnection.search = timed
    sys.path.insert(0, SHARED)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from concurrency import percentile  # noqa: E402
    from search_bench import build_mix  # type: ignore

    client = app.test_client()
    classes: dict[str, dict[str, list[float]]] = {}
    counts: dict[str, int] = {}
    for rep in range(args.reps + 1):  # the first round warms caches, not kept
        for query in build_mix(args.seed, 3) + extra:
            engine_ms.clear()
            start = time.perf_counter()
            response = client.get("/api/3/action/package_search", query_string=query["params"])
            elapsed = (time.perf_counter() - start) * 1000
            body = response.get_json()
            if response.status_code != 200 or not body.get("success"):
                raise SystemExit(f"{query['id']}: HTTP {response.status_code} {body}")
            counts[query["id"]] = body["result"]["count"]
            if rep:
                per = classes.setdefault(query["class"], {"action": [], "engine": []})
                per["action"].append(elapsed)
                per["engine"].append(sum(engine_ms))
    result["classes"] = {
        cls: {kind: {"p50": round(percentile(v, 50), 1), "p95": round(percentile(v, 95), 1)}
              for kind, v in per.items()} for cls, per in classes.items()}
    result["counts"] = counts
    result["peak_mb"] = memory_mb()
    # a reload (an emptied index, or more changes at once than a worker
    # applies one by one) builds new postings beside those in use
    began = time.perf_counter()
    with app.app_context():
        postings().load()
    result["reload_s"] = round(time.perf_counter() - began, 1)
    result["reload_mb"] = memory_mb()
    text = json.dumps(result)
    print(text)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
