"""Misordered Khmer spellings against their normal spelling (issue 16).

    .venv/bin/python bench/khmer/spelling_variants.py [--min 50]

Takes the Khmer words of the demo catalogue (``data/demo_resources.json``)
and of the themes, and writes each again the ways Khmer keyboards and
legacy converters do: a vowel typed before the subscript it follows, coeng
RO before another subscript, the split vowels េ+ា / េ+ី for ោ / ើ, a sign
(nikahit, reahmuk, ...) before its vowel, a mark typed twice.  A variant
counts as found when ``normalize`` gives the very string the normal spelling
gives, so index and query meet on the same tokens.  Prints the rate for
``khmerspell.khnormal`` alone, for ``ckanext.learning.khmer.normalize``, and
the misses of each; exits 1 under 100 % or under ``--min`` variants.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", ".."))

from khmerspell import khnormal  # noqa: E402

from ckanext.learning.khmer import normalize  # noqa: E402

DATA = os.path.join(HERE, "..", "..", "ckanext", "learning", "data")
WORD = re.compile(r"[\u1780-\u17d3\u17dd]+")
VOWEL = "[\u17b6-\u17c5]"
SIGN = "[\u17c6\u17c7\u17c8\u17cb\u17cd\u17ce\u17cf\u17d0\u17d1\u17dd]"
SUB = "\u17d2[\u1780-\u17b3]"


def words() -> list[str]:
    texts: list[str] = []
    demo = json.load(open(os.path.join(DATA, "demo_resources.json"), encoding="utf-8"))
    for item in demo["datasets"]:
        for field in ("title_translated", "notes_translated"):
            texts.append((item.get(field) or {}).get("km", ""))
    for theme in json.load(open(os.path.join(DATA, "themes.json"), encoding="utf-8")):
        texts += [theme.get("title_km", ""), theme.get("description_km", "")]
    return sorted({w for t in texts for w in WORD.findall(t)})


def variants(word: str) -> list[tuple[str, str]]:
    """(kind, misordered spelling) pairs of one normally spelled word."""
    out = []
    for kind, pattern, swap in (
            ("vowel before subscript", f"({SUB})({VOWEL})", r"\2\1"),
            ("coeng ro before subscript", f"({SUB})(\u17d2\u179a)", r"\2\1"),
            ("sign before vowel", f"({VOWEL})({SIGN})", r"\2\1"),
            ("mark typed twice", f"({VOWEL}|{SIGN})", r"\1\1")):
        changed = re.sub(pattern, swap, word, count=1)
        if changed != word:
            out.append((kind, changed))
    for whole, split in (("\u17c4", "\u17c1\u17b6"), ("\u17be", "\u17c1\u17b8")):
        if whole in word:
            out.append((f"split {whole}", word.replace(whole, split, 1)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min", type=int, default=50, help="fewest variants to test")
    args = parser.parse_args()
    cases = [(w, kind, v) for w in words() for kind, v in variants(w)]
    by_kind: dict[str, list[int]] = {}
    misses = {"khnormal": [], "normalize": []}
    for word, kind, variant in cases:
        sil = khnormal(variant) == khnormal(word)
        ours = normalize(variant) == normalize(word)
        if not sil:
            misses["khnormal"].append((kind, word))
        if not ours:
            misses["normalize"].append((kind, word))
        counts = by_kind.setdefault(kind, [0, 0, 0])
        counts[0] += 1
        counts[1] += sil
        counts[2] += ours
    print(f"{len(cases)} misordered spellings of {len(words())} words\n")
    print("| kind | variants | khnormal | normalize |")
    print("|---|---|---|---|")
    for kind, (n, sil, ours) in sorted(by_kind.items()):
        print(f"| {kind} | {n} | {sil / n:.0%} | {ours / n:.0%} |")
    total = len(cases)
    print(f"| all | {total} | {1 - len(misses['khnormal']) / total:.1%} | "
          f"{1 - len(misses['normalize']) / total:.1%} |")
    for name, missed in misses.items():
        if missed:
            print(f"\n{name} misses: " + ", ".join(f"{w} ({k})" for k, w in missed[:10]))
    if total < args.min or misses["normalize"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
