#!/usr/bin/env python3
"""The summary table of bench/scale.sh (markdown), from its files in bench/out/.

    python3 bench/scale_table.py bench/out 1000 10000 100000
"""
from __future__ import annotations

import json
import os
import sys

CLASSES = ["q_en1", "q_en2", "q_km", "q_fq", "q_facet", "sort_mod", "page_200"]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return "-"


def read_json(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def main() -> int:
    out, sizes = sys.argv[1], sys.argv[2:]
    searches = {n: read_json(os.path.join(out, f"search-{n}.json")) for n in sizes}
    lines = ["## package_search over HTTP, sequential (p50 / p95 ms)", "",
             "| class | " + " | ".join(f"N={int(n):,}" for n in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    for cls in CLASSES + ["ALL"]:
        cells = []
        for n in sizes:
            lat = [x for q in searches[n].get("queries", [])
                   if cls in ("ALL", q["class"]) for x in q["lat_ms"]]
            cells.append(f"{percentile(lat, 50):.1f} / {percentile(lat, 95):.1f}" if lat else "-")
        lines.append(f"| {cls} | " + " | ".join(cells) + " |")
    lines += ["", "## Counts against the corpus (search_bench.py --corpus)", "",
              "| N | query | count | ref_word | ref_sub |", "|---|---|---|---|---|"]
    for n in sizes:
        for q in searches[n].get("queries", []):
            counts = ",".join(str(c) for c in q["counts"])
            lines.append(f"| {int(n):,} | {q['id']} `{q['params'].get('q', '')}` "
                         f"{q['params'].get('fq', '')} | {counts} | {q['ref_word']} | {q['ref_sub']} |")
    lines += ["", "## Indexing, size, concurrency, memory", "",
              "| N | load | rebuild | index on update | size | 8 clients (gunicorn) | worker RSS |",
              "|---|---|---|---|---|---|---|"]
    for n in sizes:
        cost = read_json(os.path.join(out, f"index-cost-{n}.json"))
        conc = read_json(os.path.join(out, f"concurrency-{n}.json"))
        load = read(os.path.join(out, f"load-{n}.txt")).splitlines()[-1:]
        first, *others = read(os.path.join(out, f"rebuild-{n}.txt")).splitlines() or ["-"]
        rebuild = "; ".join([first.split(" (last")[0], *others])
        cells = [
            f"{int(n):,}", (load or ["-"])[0].replace("load: ", ""),
            rebuild.replace("rebuild: ", ""),
            (f"p50 {cost['warm_p50_ms']} ms, p95 {cost['warm_p95_ms']} ms "
             f"(cold first 10: {cost['cold_first10_mean_ms']} ms)") if cost else "-",
            read(os.path.join(out, f"size-{n}.txt")).replace("index size on disk: ", ""),
            (f"{conc['requests_per_s']} req/s, p50 {conc['p50_ms']} ms, p95 {conc['p95_ms']} ms, "
             f"{conc['errors']} errors") if conc else "-",
            read(os.path.join(out, f"rss-{n}.txt")).replace("peak RSS of a worker: ", ""),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "## Ceiling of any rebuild: core's per-dataset work alone (rebuild_floor.py)", ""]
    for n in sizes:
        lines += [f"N={int(n):,}", "", read(os.path.join(out, f"rebuild-floor-{n}.txt")), ""]
    lines += ["", "## Short Khmer words: results without the word (khmer_precision.py)", ""]
    for n in sizes:
        text = read(os.path.join(out, f"khmer-precision-{n}.txt"))
        lines += [f"N={int(n):,}", "", text, ""]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
