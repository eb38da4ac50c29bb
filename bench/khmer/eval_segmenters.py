"""Measure how well each Khmer indexing approach retrieves the gold matches.

Run (from the repo root):

    /tmp/kmeval/bin/python bench/khmer/eval_segmenters.py [--md RESULTS_TABLE.md]

Needs, in that venv: khmercut (and onnxruntime for khmercut.nn), khmer-nltk,
khmerthings, pyicu (apt-get install -y libicu-dev pkg-config first).  Missing
packages are reported and skipped.  ``eval_set.json`` is built by
``build_eval_set.py``.

Retrieval model, for every approach: the text is normalised (NFC, coeng DA ->
coeng TA, U+200B-U+200D removed), doc and query are turned into tokens the
same way, and a doc matches a query iff the query's token sequence occurs as
consecutive tokens in one of the doc's *streams*.  An index is a list of
linear streams because that is what PostgreSQL ``to_tsvector`` / a Solr text
field can store (positions are consecutive; several streams are simply
concatenated).  Punctuation and whitespace tokens are dropped, as the search
engines drop them.  Scores are micro recall/precision over query x doc pairs;
"tune" are pairs of tuning queries and tuning docs, "heldout" are all pairs
involving a held-out query or a held-out doc.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", ".."))  # for ckanext.learning.search.khmer

COENG_TA = "\u17d2\u178f"
COENG_DA = "\u17d2\u178a"
_ZW = {0x200B: None, 0x200C: None, 0x200D: None}


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace(COENG_DA, COENG_TA)
    return text.translate(_ZW)


# Khmer character cluster (KCC): a base letter, then coeng+letter pairs and
# dependent vowels / signs.  Khmer digits are kept together.
KCC = re.compile(
    r"[\u1780-\u17b3](?:\u17d2[\u1780-\u17b3]|[\u17b4-\u17d1\u17d3\u17dd])*"
    r"|[\u17e0-\u17e9]+|[\u17f0-\u17f9]+")
_KEEP = re.compile(r"[\u1780-\u17b3\u17e0-\u17e9\u19e0-\u19ffA-Za-z0-9]")


def clean(tokens) -> list[str]:
    out = []
    for t in tokens:
        t = t.strip()
        if t and _KEEP.search(t):
            out.append(t)
    return out


def kcc(text: str) -> list[str]:
    return KCC.findall(text)


# --------------------------------------------------------------- segmenters
def seg_khmercut(text):
    import khmercut
    return khmercut.tokenize(text)


def seg_khmercut_nn(text):
    from khmercut import nn
    return [t for t in nn.tokenize(text)]


def seg_khmercut_nn_deep(text):
    """khmercut.nn words split into their sub-words (deep=True)."""
    from khmercut import nn
    out = []
    for w in nn.tokenize(text, deep=True):
        out.extend(w)
    return out


def seg_khmernltk(text):
    import logging
    logging.disable(logging.INFO)
    from khmernltk import word_tokenize
    return word_tokenize(text)


def seg_khmerthings(text):
    import khmerthings
    return khmerthings.break_words(text)


@functools.lru_cache(None)
def _icu_bi():
    import icu
    return icu.BreakIterator.createWordInstance(icu.Locale("km"))


def seg_icu(text):
    bi = _icu_bi()
    bi.setText(text)
    b = [0] + list(bi)
    return [text[i:j] for i, j in zip(b, b[1:])]


SEGMENTERS: dict[str, tuple[Callable, str, str]] = {
    # name: (function, package==version, licence)
    "khmercut (CRF)": (seg_khmercut, "khmercut", "Apache-2.0"),
    "khmercut.nn": (seg_khmercut_nn, "khmercut[nn]", "Apache-2.0 (+onnxruntime MIT)"),
    "khmercut.nn deep": (seg_khmercut_nn_deep, "khmercut[nn]", "Apache-2.0 (+onnxruntime MIT)"),
    "khmer-nltk": (seg_khmernltk, "khmer-nltk", "Apache-2.0"),
    "khmerthings": (seg_khmerthings, "khmerthings", "MIT (lexicon bundled, MIT)"),
    "ICU word break (pyicu)": (seg_icu, "pyicu", "MIT-style (PyICU) + Unicode/ICU licence (ICU khmerdict)"),
}

PKG = {"khmercut": "khmercut", "khmercut[nn]": "khmercut", "khmer-nltk": "khmer-nltk",
       "khmerthings": "khmerthings", "pyicu": "pyicu"}


def version(pkg: str) -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as v
    try:
        return v(PKG[pkg])
    except PackageNotFoundError:
        return "?"


# ------------------------------------------------------------ dictionaries
@functools.lru_cache(None)
def khmerthings_lexicon() -> frozenset[str]:
    import khmerthings
    lex = khmerthings.default_lexicon()
    words = getattr(lex, "words", None) or getattr(lex, "_words", None)
    if words is None:
        path = os.path.join(os.path.dirname(khmerthings.__file__), "data", "words.txt")
        words = [ln.strip() for ln in open(path, encoding="utf-8")
                 if ln.strip() and not ln.startswith("#")]
    return frozenset(normalize(w) for w in words)


def dict_split(token: str, lexicon: frozenset[str], min_kcc: int = 2) -> list[str] | None:
    """Cover ``token`` by lexicon words at KCC boundaries (fewest pieces, >=2
    pieces); None when impossible."""
    ks = kcc(token)
    if "".join(ks) != token or len(ks) < 2 * min_kcc:
        return None
    n = len(ks)
    best: list[tuple[int, int] | None] = [None] * (n + 1)
    best[0] = (0, 0)
    for j in range(1, n + 1):
        for i in range(max(0, j - 12), j):
            if best[i] is None or j - i < min_kcc:
                continue
            piece = "".join(ks[i:j])
            if piece in lexicon and not (i == 0 and j == n):
                cand = (best[i][0] + 1, i)
                if best[j] is None or cand[0] < best[j][0]:
                    best[j] = cand
    if best[n] is None:
        return None
    out, j = [], n
    while j > 0:
        i = best[j][1]
        out.append("".join(ks[i:j]))
        j = i
    return out[::-1]


# --------------------------------------------------------------- approaches
class Approach:
    def __init__(self, name, licence, doc_streams, query_tokens, pkg=""):
        self.name, self.licence, self.pkg = name, licence, pkg
        self.doc_streams = doc_streams      # normalised text -> list[list[str]]
        self.query_tokens = query_tokens    # normalised query -> list[str]


def plain(seg):
    return lambda t: clean(seg(t))


def make_approaches(available: dict[str, Callable]) -> list[Approach]:
    A = []
    for name, (fn, pkg, lic) in SEGMENTERS.items():
        if name not in available:
            continue
        s = plain(fn)
        A.append(Approach(name, lic, lambda t, s=s: [s(t)], s, pkg))

    A.append(Approach("(a) KCC cluster phrase (regex only)", "n/a (own code)",
                      lambda t: [kcc(t)], kcc))

    def sub_split(seg, splitter):
        """every token replaced by its split (when it has one)."""
        def f(t):
            out = []
            for tok in seg(t):
                out.extend(splitter(tok) or [tok])
            return out
        return f

    def bigrams(toks):
        return [a + b for a, b in zip(toks, toks[1:])]

    for base in ("khmercut (CRF)", "ICU word break (pyicu)", "khmercut.nn", "khmer-nltk"):
        if base not in available:
            continue
        fn, pkg, lic = SEGMENTERS[base]
        s = plain(fn)
        short = base.split(" ")[0]
        if "khmerthings" in available:
            lex = khmerthings_lexicon()
            ds = sub_split(s, lambda tok, lex=lex: dict_split(tok, lex))
            # (b) coarse stream + fine stream; query coarse
            A.append(Approach(f"(b) {short} + khmerthings-lexicon subwords stream, query coarse",
                              lic + "; lexicon MIT", lambda t, s=s, ds=ds: [s(t), ds(t)], s, pkg))
            # (b') coarse + fine stream, query fine
            A.append(Approach(f"(b') {short} + khmerthings-lexicon subwords stream, query fine",
                              lic + "; lexicon MIT", lambda t, s=s, ds=ds: [s(t), ds(t)], ds, pkg))
        if "ICU word break (pyicu)" in available and base != "ICU word break (pyicu)":
            icus = plain(seg_icu)
            fs = sub_split(s, lambda tok: (r if len(r := icus(tok)) > 1 else None))
            A.append(Approach(f"(b) {short} + ICU-split stream, query fine",
                              lic + "; ICU", lambda t, s=s, fs=fs: [s(t), fs(t)], fs, pkg))
        # (c) tokens + adjacent bigram concatenations
        A.append(Approach(f"(c) {short} + bigram stream",
                          lic, lambda t, s=s: [s(t), bigrams(s(t))], s, pkg))

    if "khmercut.nn deep" in available:
        fn_c = plain(seg_khmercut_nn)
        fn_d = plain(seg_khmercut_nn_deep)
        lic = SEGMENTERS["khmercut.nn"][2]
        A.append(Approach("(b) khmercut.nn words + deep sub-words stream, query deep",
                          lic, lambda t: [fn_c(t), fn_d(t)], fn_d, "khmercut[nn]"))
        A.append(Approach("(b) khmercut.nn words + deep stream + bigrams, query deep",
                          lic, lambda t: [fn_c(t), fn_d(t), bigrams(fn_d(t))], fn_d, "khmercut[nn]"))

    # (c) hybrid "long = cluster n-grams, short = words": long queries (>= T
    # clusters) are matched as a phrase of overlapping KCC trigrams (i.e. as
    # a cluster-aligned substring, which finds glued compounds); short queries
    # (< T clusters, the ones that hide inside unrelated words: សារ, ការ, ទឹក)
    # must match whole tokens of a word segmentation.  Trigram tokens are 3
    # clusters long, so they never collide with a short query's word token.
    def trigrams(t):
        ks = kcc(t)
        return ["".join(ks[i:i + 3]) for i in range(len(ks) - 2)]

    def hybrid(word_streams, short_q, T=3):
        def doc(t):
            return [trigrams(t)] + word_streams(t)

        def query(q):
            return trigrams(q) if len(kcc(q)) >= T else short_q(q)
        return doc, query

    words_options = {}
    if "khmercut.nn deep" in available:
        c, d = plain(seg_khmercut_nn), plain(seg_khmercut_nn_deep)
        words_options["khmercut.nn words+deep"] = (
            lambda t, c=c, d=d: [c(t), d(t)], d, "khmercut[nn]", SEGMENTERS["khmercut.nn"][2])
        words_options["khmercut.nn deep only"] = (
            lambda t, d=d: [d(t)], d, "khmercut[nn]", SEGMENTERS["khmercut.nn"][2])
    if "ICU word break (pyicu)" in available:
        i_ = plain(seg_icu)
        words_options["ICU"] = (lambda t, i_=i_: [i_(t)], i_, "pyicu", SEGMENTERS["ICU word break (pyicu)"][2])
    if "khmerthings" in available:
        k_ = plain(seg_khmerthings)
        words_options["khmerthings"] = (lambda t, k_=k_: [k_(t)], k_, "khmerthings", "MIT")
    if "khmercut (CRF)" in available:
        k_ = plain(seg_khmercut)
        words_options["khmercut CRF"] = (lambda t, k_=k_: [k_(t)], k_, "khmercut", "Apache-2.0")
    if "khmercut (CRF)" in available and "khmerthings" in available:
        k_ = plain(seg_khmercut)
        lex = khmerthings_lexicon()

        def crf_dict(t, k_=k_, lex=lex):
            out = []
            for tok in k_(t):
                out.extend(dict_split(tok, lex, min_kcc=1) or [tok])
            return out
        words_options["khmercut CRF + khmerthings-lexicon split"] = (
            lambda t, k_=k_: [k_(t), crf_dict(t)], crf_dict, "khmercut", "Apache-2.0; lexicon MIT")
    if "khmercut (CRF)" in available and "khmercut.nn deep" in available:
        # the CRF's words (compounds whole), each split into sub-words by the
        # neural model once per distinct word: the model's cost is paid per
        # vocabulary, not per text
        crf = plain(seg_khmercut)

        @functools.cache
        def nn_sub_words(word):
            return tuple(clean(seg_khmercut_nn_deep(word)))

        def crf_nn(t, crf=crf):
            out = []
            for w in crf(t):
                out.extend(nn_sub_words(w) if len(kcc(w)) > 1 else [w])
            return out
        words_options["khmercut CRF, each word split once by khmercut.nn deep"] = (
            lambda t: [crf_nn(t)], crf_nn, "khmercut[nn]", SEGMENTERS["khmercut.nn"][2])
    for wname, (ws, sq, pkg, lic) in words_options.items():
        for T in (3, 4):
            doc, query = hybrid(ws, sq, T)
            A.append(Approach(f"(c) hybrid: >={T}-cluster queries as KCC trigrams, shorter as {wname} words",
                              lic, doc, query, pkg))

    # the production module (whatever it implements), for the record
    try:
        from ckanext.learning import khmer as prod
        A.append(Approach("PRODUCTION ckanext/learning/khmer/", prod.LICENCE,
                          lambda t: [clean(prod.index_tokens(t))],
                          lambda q: clean(prod.query_tokens(q)), prod.PACKAGE))
    except Exception as e:  # noqa: BLE001
        print("production module not evaluated:", repr(e), file=sys.stderr)
    return A


# ------------------------------------------------------------------ scoring
def contains(stream: list[str], q: list[str]) -> bool:
    n = len(q)
    if n == 0:
        return False
    first = q[0]
    for i, t in enumerate(stream):
        if t == first and stream[i:i + n] == q:
            return True
    return False


def evaluate(app: Approach, data, verbose=False):
    docs = data["docs"]
    streams = {d["id"]: app.doc_streams(normalize(d["text"])) for d in docs}
    res = {"tune": [0, 0, 0], "heldout": [0, 0, 0]}  # tp, fp, fn
    errors = []
    for q in data["queries"]:
        qt = app.query_tokens(normalize(q["query"]))
        rel = set(q["relevant"])
        for d in docs:
            hit = any(contains(s, qt) for s in streams[d["id"]])
            gold = d["id"] in rel
            split = "tune" if (q["split"] == "tune" and d["split"] == "tune") else "heldout"
            if hit and gold:
                res[split][0] += 1
            elif hit:
                res[split][1] += 1
                errors.append(("FP", q["query"], qt, d["id"]))
            elif gold:
                res[split][2] += 1
                errors.append(("FN", q["query"], qt, d["id"]))
    out = {}
    for k, (tp, fp, fn) in res.items():
        r = tp / (tp + fn) if tp + fn else 1.0
        p = tp / (tp + fp) if tp + fp else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[k] = (r, p, f, tp, fp, fn)
    return out, errors


#: docs from this index on were added for issue 16 (compound traps, glued words).
FIRST_ISSUE16_DOC = 106


def category(query: str, doc: dict, relevant: bool) -> str | None:
    """``glued word`` (relevant: the query is one or more whole gold words),
    ``inside compound`` (relevant only as morphemes of a transparent
    compound), ``trap`` (not relevant, yet the query's clusters occur in the
    doc, inside a word of its own) or None (the query is nowhere)."""
    q = normalize(query)
    words = [normalize(w) for w in doc["words"]]
    if relevant:
        for i in range(len(words)):
            acc = ""
            for w in words[i:]:
                acc += w
                if acc == q:
                    return "glued word"
                if len(acc) >= len(q) or not q.startswith(acc):
                    break
        return "inside compound"
    qk = kcc(q)
    dk = kcc("".join(words))
    n = len(qk)
    if any(dk[i:i + n] == qk for i in range(len(dk) - n + 1)):
        return "trap"
    return None


def categories(app: Approach, data) -> list[str]:
    """Per category (all docs, and the issue-16 docs only): pairs, found."""
    docs = data["docs"]
    streams = {d["id"]: app.doc_streams(normalize(d["text"])) for d in docs}
    counts: dict[tuple[str, str], list[int]] = {}
    for q in data["queries"]:
        qt = app.query_tokens(normalize(q["query"]))
        rel = set(q["relevant"])
        for d in docs:
            cat = category(q["query"], d, d["id"] in rel)
            if cat is None:
                continue
            hit = any(contains(s, qt) for s in streams[d["id"]])
            scopes = ["all docs"]
            if int(d["id"][1:]) >= FIRST_ISSUE16_DOC:
                scopes.append("issue-16 docs")
            if d["split"] == "heldout":
                scopes.append("held-out docs")
            for scope in scopes:
                c = counts.setdefault((scope, cat), [0, 0])
                c[0] += 1
                c[1] += hit
    lines = []
    for (scope, cat), (n, hit) in sorted(counts.items()):
        what = "matched (false positives)" if cat == "trap" else "found (recall)"
        lines.append(f"| {scope} | {cat} | {n} | {hit} {what} | {hit / n:.3f} |")
    return lines


def ranking(data) -> list[str]:
    """The production module's whole-word ranking (``khmer.rank_tokens``),
    for the queries it applies to (3 clusters or more): of the docs a query
    matches, how many of each category hold its words (the rank-only bonus),
    and over each pair (a glued-word doc, a doc where the query is inside a
    compound or a trap) whether the glued one ranks above, level or below."""
    from ckanext.learning import khmer as prod

    docs = data["docs"]
    streams = {d["id"]: clean(prod.index_tokens(normalize(d["text"]))) for d in docs}
    counts: dict[str, list[int]] = {}
    pairs = {cat: {"above": 0, "level": 0, "below": 0} for cat in ("inside compound", "trap")}
    queries = 0
    for q in data["queries"]:
        ranked = clean(prod.rank_tokens(q["query"]))
        if not ranked:
            continue
        queries += 1
        qt = clean(prod.query_tokens(normalize(q["query"])))
        rel = set(q["relevant"])
        scored: dict[str, list[int]] = {}
        for d in docs:
            stream = streams[d["id"]]
            if not contains(stream, qt):
                continue
            cat = category(q["query"], d, d["id"] in rel) or "other"
            words = set(stream)
            score = sum(t in words for t in ranked)
            c = counts.setdefault(cat, [0, 0])
            c[0] += 1
            c[1] += score == len(ranked)
            scored.setdefault(cat, []).append(score)
        for glued in scored.get("glued word", []):
            for cat, tally in pairs.items():
                for other in scored.get(cat, []):
                    tally["above" if glued > other else "level" if glued == other
                          else "below"] += 1
    lines = [f"{queries} queries of 3 clusters or more",
             "| category | matched pairs | holding all the query's words |", "|---|---|---|"]
    lines += [f"| {cat} | {n} | {held} ({held / n:.3f}) |"
              for cat, (n, held) in sorted(counts.items())]
    for cat, tally in pairs.items():
        total = sum(tally.values()) or 1
        lines.append(f"a glued-word doc against a doc with the query {cat!r}, same query: "
                     + ", ".join(f"{k} {v} ({v / total:.3f})" for k, v in tally.items()))
    return lines


def throughput(app: Approach, data, reps=3) -> float:
    texts = [normalize(d["text"]) for d in data["docs"]]
    app.doc_streams(texts[0])  # load models
    n = sum(len(t) for t in texts) * reps
    t0 = time.perf_counter()
    for _ in range(reps):
        for t in texts:
            app.doc_streams(t)
    return n / (time.perf_counter() - t0)


def available_segmenters() -> dict[str, Callable]:
    ok = {}
    for name, (fn, pkg, _lic) in SEGMENTERS.items():
        try:
            fn("សាកល្បង")
            ok[name] = fn
        except Exception as e:  # noqa: BLE001
            print(f"skip {name}: {e!r}", file=sys.stderr)
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--md", help="write the markdown table to this file")
    ap.add_argument("--errors", help="print errors of approaches whose name contains this")
    ap.add_argument("--only", help="evaluate only approaches whose name contains this")
    ap.add_argument("--categories", action="store_true",
                    help="also print glued-word / inside-compound recall and trap matches")
    ap.add_argument("--ranking", action="store_true",
                    help="print the production module's whole-word ranking and stop")
    args = ap.parse_args()
    with open(os.path.join(HERE, "eval_set.json"), encoding="utf-8") as f:
        data = json.load(f)
    if args.ranking:
        print("\n".join(ranking(data)))
        return
    apps = make_approaches(available_segmenters())
    if args.only:
        apps = [a for a in apps if args.only in a.name]
    lines = ["| approach | package==version | licence | tune R | tune P | tune F1 "
             "| held-out R | held-out P | held-out F1 | chars/s |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for app in apps:
        scores, errors = evaluate(app, data)
        cps = throughput(app, data)
        t, h = scores["tune"], scores["heldout"]
        pv = f"{PKG.get(app.pkg, app.pkg)}=={version(app.pkg)}" if app.pkg in PKG else (app.pkg or "-")
        line = (f"| {app.name} | {pv} | {app.licence} | {t[0]:.3f} | {t[1]:.3f} | {t[2]:.3f} "
                f"| {h[0]:.3f} | {h[1]:.3f} | {h[2]:.3f} | {cps:,.0f} |")
        lines.append(line)
        print(line, flush=True)
        if args.categories:
            print("| scope | category | pairs | matched | rate |\n|---|---|---|---|---|")
            for c in categories(app, data):
                print(c)
        if args.errors and args.errors in app.name:
            for e in errors:
                print("   ", *e)
    if args.md:
        with open(args.md, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
