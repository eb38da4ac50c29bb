#!/usr/bin/env python3
"""What indexing adds to a dataset create/update, and the SQL of a search.

    .venv/bin/python bench/index_cost.py -c bench/out/bench-10000.ini [--n 200]
    .venv/bin/python bench/index_cost.py -c INI --explain '{"q": "forest", ...}'

The first form times, for ``--n`` random datasets, what core's create/update
spends on the search index after the dataset is saved:
``index_update_package_dicts`` (our ``before_dataset_index`` hooks, Khmer
tokens included, and the backend's write), not ``package_show``, which the
action runs anyway for its answer.  Cold (first datasets of a fresh process,
empty Khmer sub-word cache) and warm figures are reported apart.

The second runs ``package_search`` with those parameters, captures the SQL our
backend sends and prints ``EXPLAIN (ANALYZE, BUFFERS)`` of each statement:
with the in-memory postings (read first, as a warm worker has them) by
default, through the SQL path alone with ``--sql``.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import sys
import time

SHARED = os.environ.get("SHARED_BENCH",
                        os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench"))


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def index_cost(n: int, seed: int) -> dict:
    import ckan.logic as logic
    import ckan.model as model

    ids = [r[0] for r in model.Session.query(model.Package.id)
           .filter(model.Package.state == "active")]
    random.Random(seed).shuffle(ids)
    times = []
    for pkg_id in ids[:n]:
        both = logic.package_show_default_and_custom_schemas({"ignore_auth": True}, pkg_id)
        start = time.perf_counter()
        logic.index_update_package_dicts(both)
        times.append((time.perf_counter() - start) * 1000)
        model.Session.commit()
    cold, warm = times[:10], times[10:] or times
    return {"datasets": len(times), "cold_first10_mean_ms": round(statistics.mean(cold), 1),
            "warm_p50_ms": round(percentile(warm, 50), 1),
            "warm_p95_ms": round(percentile(warm, 95), 1)}


def explain(params: dict, sql_only: bool) -> None:
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    import sqlalchemy as sa

    from ckanext.learning.search.backend import postings

    if sql_only:
        tk.config["ckanext.learning.search.postings"] = False
    else:
        postings.postings().load()
    captured: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "learning_search_" in statement and statement.lstrip().upper().startswith(
                ("SELECT", "WITH")):
            captured.append((statement, parameters))

    engine = model.Session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", capture)
    data = dict(params)
    for key in ("facet.field",):
        if isinstance(data.get(key), str):
            data[key] = json.loads(data[key])
    tk.get_action("package_search")({"ignore_auth": True}, data)
    tk.get_action("package_search")({"ignore_auth": True}, data)  # warm
    sa.event.remove(engine, "before_cursor_execute", capture)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for statement, parameters in captured[len(captured) // 2:]:
            cur.execute("SET random_page_cost = 1.1")
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            print("\n".join(r[0] for r in cur.fetchall()))
            print()
    finally:
        raw.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-c", "--config", required=True)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--explain", help="package_search parameters (JSON)")
    ap.add_argument("--sql", action="store_true",
                    help="explain the SQL path (no in-memory postings)")
    ap.add_argument("--json-out")
    args = ap.parse_args()

    sys.path.insert(0, SHARED)
    from load_corpus import bootstrap  # type: ignore

    app = bootstrap(args.config)
    for name in ("ckan", "ckanext", "sqlalchemy"):
        logging.getLogger(name).setLevel(logging.ERROR)
    with app.test_request_context():
        if args.explain:
            explain(json.loads(args.explain), args.sql)
            return 0
        result = index_cost(args.n, args.seed)
    print(f"index on update: {result['datasets']} datasets, first 10 (cold) "
          f"{result['cold_first10_mean_ms']} ms mean, then p50 {result['warm_p50_ms']} ms, "
          f"p95 {result['warm_p95_ms']} ms")
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
