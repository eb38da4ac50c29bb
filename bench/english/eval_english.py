"""Measure how well the portal's search retrieves English learning resources.

Run (from the repo root, against a portal database with the learning plugins
and the nine theme groups):

    .venv/bin/python bench/english/eval_english.py INI [--keep] [--errors]

The script loads ``eval_set.json`` (hand-written English documents and
queries with relevance judged by meaning, see its ``relevance_rule``),
creates a fresh organisation and one ``learning-resource`` dataset per
document through CKAN's actions, then sends each query to ``package_search``
(``q`` = the query, ``fq`` = the organisation) exactly as the portal's search
page would, and compares the datasets returned with the relevant ones.

Scores are micro recall, precision and F1 over query x doc pairs: "tune" are
pairs of a tuning query and a tuning doc, "heldout" all pairs involving a
held-out query or a held-out doc, "all" every pair.  ``--errors`` lists the
false positives and negatives; ``--keep`` leaves the datasets and the
organisation in the database (they are purged otherwise).  The results go to
stdout as a markdown table followed by one JSON line; CKAN logs to stderr.

Relevance here is by meaning, as a librarian judges it, so the figures are
not a word-matching engine's ceiling: a document about reporters that never
says "journalists" counts as missed.  Read the ``--errors`` list by kind
(synonyms, stemming, theme-name matches, other senses) before comparing runs.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
EVAL_SET = os.path.join(HERE, "eval_set.json")
DATASET_TYPE = "learning-resource"
SPLITS = ("tune", "heldout", "all")


def load_app(ini: str):
    """The CKAN Flask app of ``ini``."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    return make_app(load_config(ini))._wsgi_app


def dataset_dict(doc: dict[str, Any], name: str, org_id: str) -> dict[str, Any]:
    """The ``package_create`` data of one eval-set document."""
    return {
        "type": DATASET_TYPE,
        "name": name,
        "owner_org": org_id,
        "title_translated": {"en": doc["title"], "km": ""},
        "notes_translated": {"en": doc["notes"], "km": ""},
        "resource_type": "toolkit",
        "themes": [doc["theme"]],
        "language": ["en"],
        "keywords": {"en": doc["tags"], "km": []},
        "groups": [{"name": doc["theme"]}],
    }


def pair_split(query: dict[str, Any], doc: dict[str, Any]) -> str:
    """``tune`` only if both the query and the doc are tuning items."""
    return "tune" if query["split"] == doc["split"] == "tune" else "heldout"


def score(tp: int, fp: int, fn: int) -> dict[str, Any]:
    """Recall, precision and F1 of the counts."""
    r = tp / (tp + fn) if tp + fn else 1.0
    p = tp / (tp + fp) if tp + fp else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "recall": round(r, 4),
            "precision": round(p, 4), "f1": round(f1, 4)}


def evaluate(data: dict[str, Any], found: dict[str, set[str]]
             ) -> tuple[dict[str, dict[str, Any]], list[tuple[str, ...]]]:
    """Scores per split and the list of errors, from the doc ids each query found."""
    docs = {d["id"]: d for d in data["docs"]}
    counts = {s: [0, 0, 0] for s in SPLITS}  # tp, fp, fn
    errors = []
    for q in data["queries"]:
        relevant = set(q["relevant"])
        for doc_id, doc in docs.items():
            hit, rel = doc_id in found[q["id"]], doc_id in relevant
            if not (hit or rel):
                continue
            kind = 0 if hit and rel else 1 if hit else 2
            split = pair_split(q, doc)
            counts[split][kind] += 1
            counts["all"][kind] += 1
            if kind:
                errors.append((("FP", "FN")[kind - 1], split, q["id"], q["query"],
                               doc_id, doc["title"]))
    return {s: score(*c) for s, c in counts.items()}, errors


def markdown(scores: dict[str, dict[str, Any]]) -> str:
    """The scores as a markdown table."""
    lines = ["| split | recall | precision | F1 | tp | fp | fn |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for s in SPLITS:
        c = scores[s]
        lines.append(f"| {s} | {c['recall']:.3f} | {c['precision']:.3f} | {c['f1']:.3f} "
                     f"| {c['tp']} | {c['fp']} | {c['fn']} |")
    return "\n".join(lines)


def run(ini: str, keep: bool, show_errors: bool) -> int:
    """Create the datasets, search, score, print, clean up."""
    with open(EVAL_SET, encoding="utf-8") as f:
        data = json.load(f)
    app = load_app(ini)
    with app.test_request_context():
        import ckan.plugins.toolkit as tk
        from ckan.tests.helpers import call_action

        user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]

        def act(action: str, **kwargs: Any) -> Any:
            return call_action(action, context={"user": user}, **kwargs)

        stamp = time.strftime("%Y%m%d%H%M%S")
        org_name = f"english-eval-{stamp}"
        org = act("organization_create", name=org_name,
                  title_translated={"en": "English retrieval evaluation", "km": ""})
        created: list[str] = []
        try:
            started = time.time()
            by_name = {}
            for doc in data["docs"]:
                name = f"{org_name}-{doc['id']}"
                act("package_create", **dataset_dict(doc, name, org["id"]))
                created.append(name)
                by_name[name] = doc["id"]
            create_s = time.time() - started

            started = time.time()
            found: dict[str, set[str]] = {}
            for q in data["queries"]:
                res = act("package_search", q=q["query"], fq=f"owner_org:{org['id']}",
                          rows=1000)
                found[q["id"]] = {by_name[r["name"]] for r in res["results"]}
                if res["count"] != len(res["results"]):
                    print(f"warning: {q['id']} count {res['count']} != "
                          f"{len(res['results'])} rows", file=sys.stderr)
            search_s = time.time() - started

            scores, errors = evaluate(data, found)
            print(f"English retrieval: {len(data['docs'])} docs, {len(data['queries'])} "
                  f"queries, organisation {org_name}\n")
            print(markdown(scores))
            if show_errors:
                print("\n| error | split | query | doc | title |\n|---|---|---|---|---|")
                for kind, split, qid, query, doc_id, title in sorted(
                        errors, key=lambda e: (e[2], e[0], e[4])):
                    print(f"| {kind} | {split} | {qid} `{query}` | {doc_id} | {title} |")
            print()
            print(json.dumps({
                "eval": "english", "organization": org_name,
                "docs": len(data["docs"]), "queries": len(data["queries"]),
                "create_seconds": round(create_s, 1),
                "search_seconds": round(search_s, 2),
                "found": {k: sorted(v) for k, v in found.items()},
                **scores}, sort_keys=False))
        finally:
            if keep:
                print(f"kept organisation {org_name} and {len(created)} datasets",
                      file=sys.stderr)
            else:
                for name in created:
                    act("dataset_purge", id=name)
                act("organization_purge", id=org["id"])
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ini", help="CKAN config file of the portal")
    parser.add_argument("--keep", action="store_true",
                        help="leave the datasets and the organisation in place")
    parser.add_argument("--errors", action="store_true",
                        help="list false positives and false negatives")
    args = parser.parse_args(argv)
    return run(args.ini, args.keep, args.errors)


if __name__ == "__main__":
    sys.exit(main())
