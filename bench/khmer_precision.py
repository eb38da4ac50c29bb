#!/usr/bin/env python3
"""How many results of a short Khmer word do not contain it as a word.

    python3 bench/khmer_precision.py http://127.0.0.1:5055 bench/out/corpus-10000.jsonl

The bench corpus writes Khmer as ``gen_corpus.py`` composes it: words of a
closed vocabulary glued together.  So each dataset's Khmer text can be cut
back into those words exactly (fewest vocabulary words covering each run).
For every short word of the vocabulary (1-2 character clusters, the ones that
hide inside longer words) this asks package_search for all its results and
counts those whose text has it as a vocabulary word, those that have it only
inside longer vocabulary words (which words, so a reader can judge compounds
like ព្រៃ in ព្រៃឈើ), and those that have it nowhere (a false match).
Precision = results with the word / results.  Stdlib only.
"""
from __future__ import annotations

import argparse
import collections
import functools
import json
import os
import re
import sys
import urllib.parse
import urllib.request

SHARED = os.environ.get("SHARED_BENCH",
                        os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench"))
#: Khmer letters and signs (not punctuation, not digits: those cut runs).
KHMER_RUN = re.compile(r"[\u1780-\u17d3\u17dd]+")
CLUSTER = re.compile(r"[\u1780-\u17b3](?:\u17d2[\u1780-\u17b3]|[\u17b4-\u17d1\u17d3\u17dd])*")


def vocabulary() -> set[str]:
    """Every Khmer string literal of gen_corpus.py (its whole vocabulary)."""
    sys.path.insert(0, SHARED)
    import gen_corpus  # type: ignore

    with open(gen_corpus.__file__, encoding="utf-8") as f:
        source = f.read()
    return {w for literal in re.findall(r'"([^"\n]*)"', source)
            for w in KHMER_RUN.findall(literal)}


def segment(run: str, vocab: frozenset[str]) -> list[str] | None:
    """Fewest vocabulary words whose concatenation is ``run`` (None: none)."""
    @functools.lru_cache(None)
    def best(i: int) -> tuple[str, ...] | None:
        if i == len(run):
            return ()
        found = None
        for j in range(len(run), i, -1):
            if run[i:j] in vocab:
                rest = best(j)
                if rest is not None and (found is None or len(rest) + 1 < len(found)):
                    found = (run[i:j],) + rest
        return found
    result = best(0)
    return list(result) if result is not None else None


def all_results(base: str, word: str) -> list[str]:
    names, start = [], 0
    while True:
        query = urllib.parse.urlencode({"q": word, "rows": 1000, "start": start, "fl": "name"})
        with urllib.request.urlopen(f"{base}/api/3/action/package_search?{query}") as r:
            result = json.load(r)["result"]
        names += [d["name"] for d in result["results"]]
        start += 1000
        if start >= result["count"]:
            return names


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("base_url")
    ap.add_argument("corpus")
    ap.add_argument("--json-out")
    args = ap.parse_args()

    vocab = frozenset(vocabulary())
    tokens: dict[str, list[str]] = {}
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            title_km = next((e["value"] for e in d.get("extras", []) if e["key"] == "title_km"), "")
            words: list[str] = []
            for run in KHMER_RUN.findall(f"{title_km} {d.get('notes', '')}"):
                words += segment(run, vocab) or [run]
            tokens[d["name"]] = words
    short = sorted(w for w in vocab if 1 <= len(CLUSTER.findall(w)) <= 2
                   and "".join(CLUSTER.findall(w)) == w)
    rows, report = [], []
    total = total_word = 0
    for word in short:
        names = all_results(args.base_url, word)
        as_word = inside = nowhere = 0
        hosts: collections.Counter[str] = collections.Counter()
        for name in names:
            toks = tokens.get(name, [])
            if word in toks:
                as_word += 1
            elif any(word in t for t in toks):
                inside += 1
                hosts.update({t for t in toks if word in t})
            else:
                nowhere += 1
        total += len(names)
        total_word += as_word
        precision = as_word / len(names) if names else 1.0
        rows.append({"word": word, "results": len(names), "as_word": as_word,
                     "only_inside_longer_words": inside, "nowhere": nowhere,
                     "precision": round(precision, 3), "inside": dict(hosts.most_common(5))})
        which = f" ({', '.join(hosts)})" if hosts else ""
        report.append(f"| {word} | {len(names)} | {as_word} | {inside}{which} "
                      f"| {nowhere} | {precision:.3f} |")
    print("| short word | results | with it as a word | only inside longer words (which) "
          "| nowhere | precision |")
    print("|---|---|---|---|---|---|")
    print("\n".join(report))
    print(f"all short words: {total} results, {total_word} with the word: precision "
          f"{total_word / total if total else 1:.3f}")
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as f:
            json.dump(rows, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
