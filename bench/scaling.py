#!/usr/bin/env python3
"""Issue 17's scaling figures, in one run: throughput by workers and clients
at 10,000 and 100,000 records, and one worker's figures up to 1,000,000.

    LOAD_ONLY=1 bench/scale.sh 10000        # once: 10,000 records through package_create
    .venv/bin/python bench/scaling.py [--http 10000 100000] [--backend 1000000]

The 10,000 records loaded by ``scale.sh`` (``../shared/bench/gen_corpus.py``,
seed 42, through ``package_create``: real datasets, indexed by the extension's
own hooks) are cloned into a database of this script's
(``ckan_learning_bench_scaling``, ``CREATE DATABASE … TEMPLATE``), whose index
is then grown, size after size, with copies written straight into the index
tables (``bench/grow_index.py`` says how).

At each ``--http`` size: for 1, 2 and 4 gunicorn worker processes (``bin/serve``)
of 1 and of 4 threads each (``make run`` serves 2 x 4) it waits until every worker answers from
its postings (``bench/warm.py``; the time it took is the start-up cost with
all workers loading at once), runs ``bench/concurrency.py`` with 8 and 32
clients, and reads each worker's peak RSS (``VmHWM``).  At every size
(``--http`` and ``--backend``) ``bench/scaling_probe.py`` times one worker's
postings load and each query class through ``package_search`` in one
process, and the index's size on disk is read after ``VACUUM``.

Writes bench/out/scaling.json and the markdown table bench/out/scaling.md.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from grow_index import grow, psql  # noqa: E402

OUT = os.path.join(ROOT, "bench", "out")
PY = os.path.join(ROOT, ".venv", "bin", "python")
CKAN = os.path.join(ROOT, ".venv", "bin", "ckan")
SOURCE_DB, SOURCE_INI = "ckan_learning_bench_10000", os.path.join(OUT, "bench-10000.ini")
DB, INI = "ckan_learning_bench_scaling", os.path.join(OUT, "scaling.ini")
PORT = 5057
WORKERS = (1, 2, 4)
CLIENTS = (8, 32)


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=ROOT, check=True, **kwargs)


def set_up() -> None:
    if not os.path.exists(SOURCE_INI):
        raise SystemExit(f"{SOURCE_INI} is missing: run `LOAD_ONLY=1 bench/scale.sh 10000`")
    exists = psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{DB}'")
    if not exists:
        print(f"cloning {SOURCE_DB} into {DB}", flush=True)
        run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v",
            "ON_ERROR_STOP=1", "-qc",
            f"CREATE DATABASE {DB} OWNER ckan_default TEMPLATE {SOURCE_DB}")
    with open(SOURCE_INI, encoding="utf-8") as f:
        text = f.read().replace(f"/{SOURCE_DB}\n", f"/{DB}\n")
    with open(INI, "w", encoding="utf-8") as f:
        f.write(text)
    run(CKAN, "config-tool", INI, f"ckan.site_url=http://127.0.0.1:{PORT}",
        stdout=subprocess.DEVNULL)


def index_size() -> dict[str, int]:
    psql(DB, "VACUUM ANALYZE learning_search_index")
    psql(DB, "VACUUM ANALYZE learning_search_document")
    row = psql(DB, "SELECT pg_total_relation_size('learning_search_index'), "
                   "pg_indexes_size('learning_search_index'), "
                   "pg_total_relation_size('learning_search_document')")
    table, indexes, documents = (int(x) for x in row.split("|"))
    return {"index_table_mb": table >> 20, "of_it_indexes_mb": indexes >> 20,
            "documents_mb": documents >> 20}


def probe(size: int) -> dict:
    path = os.path.join(OUT, f"scaling-probe-{size}.json")
    run(PY, "bench/scaling_probe.py", INI, "--json-out", path,
        stdout=subprocess.DEVNULL, env=dict(os.environ, CKAN_INI=INI))
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def serve(workers: int, threads: int) -> subprocess.Popen:
    log = open(os.path.join(OUT, f"scaling-server-{workers}x{threads}.log"), "w",
               encoding="utf-8")
    server = subprocess.Popen(
        ["bin/serve", INI], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env=dict(os.environ, PORT=str(PORT), WORKERS=str(workers), THREADS=str(threads),
                 TIMEOUT="300"), start_new_session=True)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/3/action/status_show",
                                   timeout=5).read()
            return server
        except OSError:
            time.sleep(1)
    raise SystemExit("the server did not start")


def over_http(size: int, threads: int) -> list[dict]:
    rows = []
    for workers in WORKERS:
        server = serve(workers, threads)
        try:
            warm = run("python3", "bench/warm.py", f"http://127.0.0.1:{PORT}",
                       "--timeout", "900", "--consecutive", str(8 * workers),
                       capture_output=True, text=True).stdout.strip()
            row = {"records": size, "workers": workers, "threads": threads, "warm": warm}
            for clients in CLIENTS:
                path = os.path.join(OUT, f"scaling-{size}-{workers}x{threads}-{clients}c.json")
                run("python3", "bench/concurrency.py", f"http://127.0.0.1:{PORT}",
                    "--clients", str(clients), "--seconds", str(ARGS.seconds),
                    "--json-out", path, stdout=subprocess.DEVNULL)
                with open(path, encoding="utf-8") as f:
                    row[str(clients)] = json.load(f)
            children = run("pgrep", "-P", str(server.pid), "-f", "gunicorn",
                           capture_output=True, text=True).stdout.split()
            row["worker_peak_rss_mb"] = sorted(peak_rss_mb(int(p)) for p in children)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        print(f"  {size:,} records, {workers} workers x {threads} threads: {row['warm']}; "
              + "; ".join(f"{c} clients {row[str(c)]['requests_per_s']} req/s p95 "
                          f"{row[str(c)]['p95_ms']} ms, {row[str(c)]['errors']} errors"
                          for c in CLIENTS)
              + f"; peak RSS {row['worker_peak_rss_mb']} MB", flush=True)
        rows.append(row)
    return rows


def table(results: dict) -> str:
    lines = ["## Throughput over HTTP (gunicorn via bin/serve; bench/concurrency.py, "
             f"{ARGS.seconds:.0f} s a cell)", "",
             "| records | workers x threads | all warm after | 8 clients: req/s, p50 / p95 ms | "
             "32 clients: req/s, p50 / p95 ms | errors | peak RSS a worker (MB) |",
             "|---|---|---|---|---|---|---|"]
    for row in sorted(results["http"], key=lambda r: (r["records"], r["threads"],
                                                      r["workers"])):
        cells = [f"{row[str(c)]['requests_per_s']}, {row[str(c)]['p50_ms']} / "
                 f"{row[str(c)]['p95_ms']}" for c in CLIENTS]
        errors = sum(row[str(c)]["errors"] for c in CLIENTS)
        lines.append(f"| {row['records']:,} | {row['workers']} x {row['threads']} | "
                     f"{row['warm'].replace('warm after ', '')} | {cells[0]} | {cells[1]} | "
                     f"{errors} | {', '.join(str(x) for x in row['worker_peak_rss_mb'])} |")
    sizes = sorted(results["probe"], key=int)
    lines += ["", "## One worker (bench/scaling_probe.py)", "",
              "| | " + " | ".join(f"{int(s):,}" for s in sizes) + " |",
              "|---|" + "---|" * len(sizes)]

    def line(label, cell):
        lines.append(f"| {label} | " + " | ".join(cell(results["probe"][s], s)
                                                  for s in sizes) + " |")

    line("postings load (s)", lambda p, s: str(p["load_s"]))
    line("RSS after load / peak (MB)",
         lambda p, s: f"{p['loaded_mb']['VmRSS']:.0f} / {p['peak_mb']['VmHWM']:.0f}")
    line("RSS of the app before load (MB)", lambda p, s: f"{p['app_mb']['VmRSS']:.0f}")
    line("terms", lambda p, s: f"{p['terms']:,}")
    line("index on disk (MB): table (of it indexes) + documents",
         lambda p, s: "{index_table_mb} ({of_it_indexes_mb}) + {documents_mb}".format(
             **results["size"][s]))
    classes = list(results["probe"][sizes[0]]["classes"])
    for cls in classes:
        line(f"{cls}: package_search p50 / p95 ms (engine alone)",
             lambda p, s, cls=cls: "{} / {} ({} / {})".format(
                 p["classes"][cls]["action"]["p50"], p["classes"][cls]["action"]["p95"],
                 p["classes"][cls]["engine"]["p50"], p["classes"][cls]["engine"]["p95"]))
    lines += ["", "## Fits over the sizes above (least squares, N in thousands)", ""]
    n = [int(s) / 1000 for s in sizes]
    for label, ys, unit in (
            ("peak RSS a worker", [results["probe"][s]["peak_mb"]["VmHWM"] for s in sizes], "MB"),
            ("postings load", [results["probe"][s]["load_s"] for s in sizes], "s")):
        a, b = fit(n, ys)
        worst = max(abs(a + b * x - y) for x, y in zip(n, ys))
        lines.append(f"- {label} ≈ {a:.1f} {unit} + {b:.3f} {unit} per 1,000 records "
                     f"(largest residual {worst:.1f} {unit})")
    a, b = fit(n, [results["probe"][s]["peak_mb"]["VmHWM"] for s in sizes])
    for budget in (512, 1024, 2048):
        lines.append(f"- a worker reaches {budget} MB at ≈ {(budget - a) / b * 1000:,.0f} records")
    return "\n".join(lines) + "\n"


def fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Intercept and slope of the least-squares line."""
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = (sum((x - mx) * (y - my) for x, y in zip(xs, ys))
             / sum((x - mx) ** 2 for x in xs))
    return my - slope * mx, slope


def main() -> int:
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--http", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--backend", type=int, nargs="*", default=[1_000_000])
    ap.add_argument("--threads", type=int, nargs="*", default=[1, 4],
                    help="threads a worker (bin/serve's THREADS; make run uses 4)")
    ap.add_argument("--seconds", type=float, default=30)
    ARGS = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    set_up()
    path = os.path.join(OUT, "scaling.json")
    try:
        with open(path, encoding="utf-8") as f:
            results = json.load(f)
    except (OSError, ValueError):
        results = {}
    results.setdefault("http", [])
    results.setdefault("probe", {})
    results.setdefault("size", {})
    for size in sorted(set(ARGS.http) | set(ARGS.backend)):
        print(f"=== {size:,} records", flush=True)
        grow(DB, size)
        results["size"][str(size)] = index_size()
        results["probe"][str(size)] = p = probe(size)
        print(f"  one worker: postings loaded in {p['load_s']} s, RSS {p['loaded_mb']}, "
              f"peak {p['peak_mb']['VmHWM']} MB", flush=True)
        for threads in ARGS.threads if size in ARGS.http else ():
            results["http"] = [r for r in results["http"]
                               if (r["records"], r["threads"]) != (size, threads)]
            results["http"] += over_http(size, threads)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1)
    with open(os.path.join(OUT, "scaling.md"), "w", encoding="utf-8") as f:
        f.write(table(results))
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
