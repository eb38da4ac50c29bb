"""What the largest search the limits let through costs to parse and segment.

The search limits (``ckanext/learning/search/limits.py``) refuse a ``q``
over ``max_query_length`` characters (2,000) or ``max_terms`` words (200)
before any work; this times, on this machine, parsing and segmenting the
worst queries still under those limits (before the limits, 30 KB of short
mixed Khmer and Latin terms took 9.5 s in the segmenter).

    .venv/bin/python bench/search_limits.py
"""
from __future__ import annotations

import time

from ckanext.learning.search import limits, request

LIMIT = 2000
CASES = {
    "mixed short Khmer/Latin terms": ("ទឹក a " * 400)[:LIMIT],
    "one unspaced Khmer run": ("ការអភិវឌ្ឍសហគមន៍ព្រៃឈើនិងការគ្រប់គ្រងធនធានទឹក" * 60)[:LIMIT],
    "spaced Khmer words": ("ការអភិវឌ្ឍ សហគមន៍ ព្រៃឈើ ធនធានទឹក " * 80)[:LIMIT],
    "English words": ("community forest water governance " * 80)[:LIMIT],
}


def best_of(runs: int, query: str) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        request.parse_query(query, segment=True)
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    print(f"{'query (' + str(LIMIT) + ' chars)':40} {'terms':>6} {'parse+segment':>14}")
    for name, query in CASES.items():
        seconds = best_of(5, query)
        print(f"{name:40} {limits.term_count(query):>6} {seconds * 1000:>11.1f} ms")


if __name__ == "__main__":
    main()
