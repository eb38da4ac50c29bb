#!/usr/bin/env python3
"""A web worker's memory with everything it keeps: search postings and the
suggestion keys, and what the suggestions cost per call, in one process.

    .venv/bin/python bench/worker_memory.py INI [--calls 400] [--seed 1]

Builds the app as a worker does, reads the postings (``Postings.load``), then
builds the suggestion keys (``SuggestIndex.refresh`` as a first
``learning_suggest`` call would, inline) and reports RSS / peak RSS
(``VmRSS``/``VmHWM``) after each step and each step's time.  Then times the
suggestion's own work for ``--calls`` prefixes typed as ``bench/suggest.py``
types them (the refresh, the key lookup for records and for the others,
and the visibility check in PostgreSQL), without CKAN's request handling.
Reads only ``learning_search_index`` and ``"group"``: works on any bench
database.  Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from scaling_probe import memory_mb  # noqa: E402
from suggest import prefixes  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ini")
    ap.add_argument("--calls", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    import ckan.model as model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from concurrency import percentile

    from ckanext.learning.search.backend.postings import postings
    from ckanext.learning.suggest import index

    app = make_app(load_config(args.ini))._wsgi_app
    out: dict = {"app_mb": memory_mb()}
    with app.app_context():
        began = time.perf_counter()
        postings().load()
        out["postings_s"] = round(time.perf_counter() - began, 1)
        out["postings_mb"] = memory_mb()
        suggest = index.SuggestIndex()
        began = time.perf_counter()
        suggest._refresh(model.Session)
        model.Session.remove()
        out["suggest_build_s"] = round(time.perf_counter() - began, 1)
        out["suggest_mb"] = memory_mb()
        out["suggest_size"] = suggest.memory_items()
        timings: dict[str, list[float]] = {"refresh": [], "records": [], "others": [],
                                           "visible": []}
        empty = 0
        for prefix in prefixes(random.Random(args.seed), args.calls):
            q = index.fold(prefix)
            start = time.perf_counter()
            suggest.refresh(model.Session)
            timings["refresh"].append(time.perf_counter() - start)
            start = time.perf_counter()
            records = suggest.candidates(q, "records", 32, public_only=True)
            timings["records"].append(time.perf_counter() - start)
            start = time.perf_counter()
            others = suggest.candidates(q, "others", 8, public_only=False)
            timings["others"].append(time.perf_counter() - start)
            start = time.perf_counter()
            visible = index.visible_seqs(model.Session, [e.seq for e in records], ["public"])
            timings["visible"].append(time.perf_counter() - start)
            empty += not visible and not others
            model.Session.remove()
        out["calls"] = args.calls
        out["prefixes_with_nothing"] = empty
        out["ms"] = {step: {"p50": round(percentile(v, 50) * 1000, 3),
                            "p95": round(percentile(v, 95) * 1000, 3)}
                     for step, v in timings.items()}
        out["end_mb"] = memory_mb()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
