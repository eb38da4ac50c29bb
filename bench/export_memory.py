"""Peak memory of exporting 100,000 search results (CSV and JSON).

    .venv/bin/python bench/export_memory.py [--records 100000]

The exports (``ckanext/learning/exports/``) read ``package_search`` a page
at a time and write each page out before reading the next; this measures
that a large export costs no more memory than a small one.

Set-up, kept between runs: a database of its own (``ckan_learning_bench_export``,
config in ``bench/out/export.ini``) with the demo content (``ckan learning
init``), whose published records' index rows are then copied in SQL until
the index holds ``--records`` records (``bench/grow_index.py``: loading
100,000 through ``package_create`` takes about 40 minutes here, see
RESULTS.md, and an export reads nothing but the index).

Then, for each format and for 1,000 and ``--records`` records (a ``q`` that
the copies' numbers select), a fresh process builds the app, warms the
search (the in-memory postings of every record are loaded by any first
search), and requests the export through Flask's test client, consuming the
streamed body chunk by chunk.  It reports rows, bytes, seconds and the
process's peak RSS (``ru_maxrss``) after warming and after the export.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from grow_index import grow  # noqa: E402
from grow_index import psql as psql_db

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
INI = os.path.join(OUT, "export.ini")
DB = "ckan_learning_bench_export"
CKAN = os.path.join(ROOT, ".venv", "bin", "ckan")
PY = os.path.join(ROOT, ".venv", "bin", "python")


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=ROOT, check=True, **kwargs)


def psql(sql: str) -> str:
    return psql_db(DB, sql)


def set_up(records: int) -> None:
    os.makedirs(OUT, exist_ok=True)
    run("bin/ensure-database", DB, stdout=subprocess.DEVNULL)
    run("bin/write-config", INI, DB, "5099", stdout=subprocess.DEVNULL)
    run(CKAN, "-c", INI, "config-tool", INI,
        f"licenses_group_url=file://{ROOT}/ckanext/learning/data/licenses.json",
        f"ckan.storage_path={OUT}/export-storage", "ckan.redis.url=redis://127.0.0.1:6379/6",
        "ckanext.learning.review.notify=false", stdout=subprocess.DEVNULL)
    run(CKAN, "-c", INI, "db", "upgrade", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run(CKAN, "-c", INI, "learning", "init", stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    grow(DB, records, public_only=True)


MEASURE = textwrap.dedent("""
    import csv, json, resource, sys, time
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    import ckan.plugins.toolkit as tk

    ini, fmt, query = sys.argv[1:4]
    app = make_app(load_config(ini))._wsgi_app
    client = app.test_client()
    with app.test_request_context():
        tk.get_action("package_search")({"ignore_auth": True}, {"q": query, "rows": 0})
    warm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    response = client.get(f"/learning/export.{fmt}", query_string={"q": query},
                          buffered=False)
    size = [0]

    def lines():
        tail = ""
        for chunk in response.response:
            size[0] += len(chunk)
            text = tail + chunk.decode("utf-8")
            *complete, tail = text.split("\\n")
            for line in complete:
                yield line + "\\n"
        if tail:
            yield tail

    if fmt == "csv":
        records = sum(1 for _ in csv.reader(lines())) - 1  # the header
    else:
        records = sum(1 for line in lines() if line.startswith(("{", ",{")))
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"status": response.status_code, "bytes": size[0], "records": records,
                      "seconds": round(seconds, 1), "warm_rss_mb": round(warm / 1024),
                      "peak_rss_mb": round(peak / 1024)}))
""")


def measure(fmt: str, query: str) -> dict:
    done = run(PY, "-c", MEASURE, INI, fmt, query, capture_output=True, text=True,
               env=dict(os.environ, CKAN_INI=INI))
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    set_up(args.records)
    total = int(psql("SELECT count(*) FROM learning_search_index WHERE capacity = 'public'"))
    print(f"index: {total} public records")
    # ~1,000 records: the copies numbered 1..k; all: every record
    per_copy = int(psql("SELECT count(*) FROM learning_search_index "
                        "WHERE index_id LIKE 'copy-1-%'")) or 1
    small = " OR ".join(f"benchcopy{c}" for c in range(1, max(1000 // per_copy, 1) + 1))
    print(f"{'export':8} {'records':>8} {'status':>6} {'MB out':>7} {'seconds':>8} "
          f"{'RSS warm':>9} {'RSS peak':>9} {'export cost':>11}")
    for fmt in ("csv", "json"):
        for label, query in (("~1,000", small), ("all", "")):
            m = measure(fmt, query)
            print(f"{fmt:8} {m['records']:>8} {m['status']:>6} {m['bytes'] / 1e6:>7.1f} "
                  f"{m['seconds']:>8} {m['warm_rss_mb']:>6} MB {m['peak_rss_mb']:>6} MB "
                  f"{m['peak_rss_mb'] - m['warm_rss_mb']:>8} MB   ({label})", flush=True)


if __name__ == "__main__":
    sys.exit(main())
